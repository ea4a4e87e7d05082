import { InvalidIdError } from '../errors/InvalidIdError.js';

/** Zoho IDs are positive signed 64-bit integers (Java longs), written without leading zeros. */
const MAX_ZOHO_ID = '9223372036854775807';

/** Whether `value` is a non-empty string of ASCII digits: the syntax of every ID Zoho gives (and of an org id). */
export function isDigits(value: string): boolean {
  return /^\d+$/.test(value);
}

/**
 * Why a string is not a Zoho ID, or undefined when it is one: digits only, no
 * leading zero (so not `0` either: Zoho never writes an ID that way, and `007`
 * and `7` would be two spellings of one number), at most 19 digits and at most
 * 9223372036854775807. Compared as strings: IDs are beyond 2^53.
 */
export function zohoIdProblem(value: string): string | undefined {
  if (!isDigits(value)) return 'digits only';
  if (/^0+$/.test(value)) return 'Zoho IDs are never 0';
  if (value.startsWith('0')) return 'it starts with 0, which Zoho IDs never do; was the column padded with zeros?';
  if (value.length > MAX_ZOHO_ID.length || (value.length === MAX_ZOHO_ID.length && value > MAX_ZOHO_ID)) {
    return `${value.length} digits, above the largest a Zoho ID can be: ${MAX_ZOHO_ID}`;
  }
  return undefined;
}

export function isZohoId(value: unknown): value is string {
  return typeof value === 'string' && zohoIdProblem(value) === undefined;
}

/** Throws unless `value` is a Zoho ID string; numbers are refused, as they may have lost digits. */
export function assertZohoId(field: string, value: unknown): string {
  if (!isZohoId(value)) throw new InvalidIdError(field, value);
  return value;
}
