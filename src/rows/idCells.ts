import { shorten } from '../errors/shorten.js';
import { isDigits, zohoIdProblem } from '../zoho/ids.js';

/**
 * Checks one ID cell. Returns the trimmed digits, or what is wrong in words a
 * spreadsheet user understands. A value that could never be a Zoho ID (`0`, a
 * leading zero, more than 19 digits) is refused here, so it is never sent.
 */
export function checkIdCell(column: string, raw: string | undefined): { id: string } | { problem: string } {
  const value = (raw ?? '').trim();
  if (value === '') return { problem: `${column} is empty` };
  const shown = JSON.stringify(shorten(value));
  if (isDigits(value)) {
    const problem = zohoIdProblem(value);
    return problem === undefined ? { id: value } : { problem: `${column} ${shown} is not a Zoho ID (${problem})` };
  }
  if (/^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/.test(value)) {
    return {
      problem: `${column} ${shown} is in spreadsheet scientific notation, which has destroyed the ID's last digits; re-export the column formatted as text`,
    };
  }
  if (/^\d+\.0+$/.test(value)) return { problem: `${column} ${shown} has a decimal part; Zoho IDs are whole numbers (format the column as text)` };
  return { problem: `${column} ${shown} is not a Zoho ID (digits only)` };
}
