import { expect } from 'vitest';

/** Expects two lists of probabilities to match element by element within `tolerance`. */
export function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(tolerance));
}
