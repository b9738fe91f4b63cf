// Numbers given as option values: plain decimal digits only. Number() alone would also take `0x10`, `1e2`, ` 3` and
// `3.0`, and digits past 2^53 would quietly become another number.
import { PalisadeError } from '../core/errors.ts';

const WHOLE = /^(?:0|[1-9][0-9]*)$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/** A whole number from `min` to `max`, written in plain digits. */
export function wholeNumberOption(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!WHOLE.test(text) || !Number.isSafeInteger(value) || value < min || value > max)
    throw new PalisadeError(
      'usage',
      `${option} must be a whole number from ${min} to ${max} (got "${text}")`,
    );
  return value;
}

/** A number from `min` to `max` in plain digits with an optional fraction (`0.5`); above `min` when `aboveMin`. */
export function decimalOption(
  text: string,
  option: string,
  min: number,
  max: number,
  aboveMin = false,
): number {
  const value = Number(text);
  if (!DECIMAL.test(text) || value < min || (aboveMin && value === min) || value > max)
    throw new PalisadeError(
      'usage',
      `${option} must be a number ${aboveMin ? `above ${min} and at most ${max}` : `from ${min} to ${max}`} (got "${text}")`,
    );
  return value;
}
