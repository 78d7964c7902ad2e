export {
  planVariants,
  parseGraphPath,
  DTYPE_SUFFIX,
  type VariantPlan,
  type PlannedSession,
  type TransformersJsConfig,
} from './plan-variants.ts';
export { createPlanner, planListing, type ModelPlan } from './plan-model.ts';
