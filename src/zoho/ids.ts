import { InvalidIdError } from '../errors/InvalidIdError.js';

const ID = /^\d+$/;

export function isZohoId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** Throws unless `value` is a string of digits; numbers are refused, as they may have lost digits. */
export function assertZohoId(field: string, value: unknown): string {
  if (!isZohoId(value)) throw new InvalidIdError(field, value);
  return value;
}
