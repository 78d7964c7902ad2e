import { planVariants, type Backend, type Dtype, type VariantPlan } from 'hangar';

/** The files of a stored revision (what `mm.cache.list()` says). */
export type StoredFiles = ReadonlyArray<{ path: string; size: number }> | undefined;

/**
 * The plan for `variant` from the stored files alone (offline, or before the Hub was asked): only a
 * variant that is all there counts, since planVariants falls back per graph to another stored dtype.
 */
export function storedPlan(stored: StoredFiles, variant: 'auto' | Dtype, dtypes: Dtype[], backend: Backend): VariantPlan | undefined {
  if (stored === undefined) return undefined;
  const wanted = variant === 'auto' ? dtypes : [variant];
  const plan = planVariants(
    stored.map((file) => file.path),
    { backend, dtypes: wanted },
  );
  const exact = plan.sessions.every((session) => wanted.includes(session.dtype));
  return plan.sessions.length === 0 || !exact ? undefined : plan;
}

/** Whether every file of `plan` is stored. */
export function isStored(plan: VariantPlan | undefined, stored: StoredFiles): boolean {
  const paths = new Set(stored?.map((file) => file.path));
  return plan !== undefined && plan.sessions.length > 0 && plan.files.every((path) => paths.has(path));
}

/** How many of `plan`'s files are stored. */
export function storedCount(plan: VariantPlan | undefined, stored: StoredFiles): number {
  const paths = new Set(stored?.map((file) => file.path));
  return plan?.files.filter((path) => paths.has(path)).length ?? 0;
}

/** Whether some of `plan`'s own weights are stored but not all its files: a download of this variant stopped midway. */
export function isPartial(plan: VariantPlan | undefined, stored: StoredFiles): boolean {
  const paths = new Set(stored?.map((file) => file.path));
  const weights = plan?.sessions.flatMap((session) => [session.file, ...session.externalData]) ?? [];
  return !isStored(plan, stored) && weights.some((path) => paths.has(path));
}

/** Bytes of the stored files among `paths`. */
export function storedBytes(paths: string[], stored: StoredFiles): number {
  const sizes = new Map(stored?.map((file) => [file.path, file.size]));
  return paths.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0);
}
