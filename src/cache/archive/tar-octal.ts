/** `value` as zero-padded octal of exactly `digits` digits (the caller checks that it fits). */
export function formatOctal(value: number, digits: number): string {
  return value.toString(8).padStart(digits, '0');
}

/** Reads an octal tar field: optional leading spaces, digits, then NUL or space padding; undefined when malformed. */
export function parseOctal(field: Uint8Array): number | undefined {
  const text = String.fromCharCode(...field);
  const match = /^ *([0-7]+)[ \0]*$/.exec(text);
  if (!match?.[1]) return undefined;
  const value = parseInt(match[1], 8);
  return Number.isSafeInteger(value) ? value : undefined;
}
