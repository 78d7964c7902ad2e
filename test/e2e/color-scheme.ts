import type { Page, TestInfo } from '@playwright/test';

/**
 * Asks the page for `scheme` and says whether it took: Playwright's Firefox (BiDi) driver ignores
 * `emulateMedia({ colorScheme })`, so there a pass the engine cannot show is skipped and noted in the
 * report rather than run in the other scheme; the `firefox-dark` project (dark by pref) runs the dark one of the accessibility specs.
 */
export async function showScheme(page: Page, scheme: 'light' | 'dark', testInfo: TestInfo): Promise<boolean> {
  await page.emulateMedia({ colorScheme: scheme });
  const took = await page.evaluate((wanted) => matchMedia(`(prefers-color-scheme: ${wanted})`).matches, scheme);
  if (!took) testInfo.annotations.push({ type: 'not run', description: `${scheme} scheme: this driver cannot emulate it` });
  return took;
}
