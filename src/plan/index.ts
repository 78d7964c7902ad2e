export {
  planVariants,
  parseGraphPath,
  DTYPE_SUFFIX,
  type VariantPlan,
  type PlannedSession,
  type TransformersJsConfig,
} from './plan-variants.ts';
export { planModel, planListing, type ModelPlan } from './plan-model.ts';
export { CommitMetadata } from './commit-metadata.ts';
