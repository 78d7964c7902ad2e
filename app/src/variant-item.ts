import type { VariantPlan } from 'hangar';
import { isPartial, isStored, storedCount, type StoredFiles } from './stored-variant.ts';

/**
 * One line of a variant list, as the Whisper and assistant pickers show it: "q8: 12 MB · on this
 * device", or "· partly on this device (2 of 5 files)" for a download that stopped; marked
 * `cached` / `partial` for styling. `plan` is the Hub's plan for the variant, `local` the one read
 * from what is stored.
 */
export function variantItem(
  dtype: string,
  size: string,
  plan: VariantPlan | undefined,
  local: VariantPlan | undefined,
  stored: StoredFiles,
): HTMLLIElement {
  const onDevice = isStored(plan ?? local, stored);
  const partly = !onDevice && plan !== undefined && isPartial(plan, stored);
  const item = document.createElement('li');
  item.classList.toggle('cached', onDevice);
  item.classList.toggle('partial', partly);
  const where = onDevice
    ? ' · on this device'
    : partly
      ? ` · partly on this device (${storedCount(plan, stored)} of ${plan.files.length} files)`
      : '';
  item.textContent = `${dtype}: ${size}${where}`;
  return item;
}
