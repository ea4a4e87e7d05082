/**
 * Checks one ID cell. Returns the trimmed digits, or what is wrong in words a
 * spreadsheet user understands.
 */
export function checkIdCell(column: string, raw: string | undefined): { id: string } | { problem: string } {
  const value = (raw ?? '').trim();
  if (value === '') return { problem: `${column} is empty` };
  if (/^\d+$/.test(value)) return { id: value };
  if (/^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$/.test(value)) {
    return {
      problem: `${column} ${JSON.stringify(value)} is in spreadsheet scientific notation, which has destroyed the ID's last digits; re-export the column formatted as text`,
    };
  }
  if (/^\d+\.0+$/.test(value)) return { problem: `${column} ${JSON.stringify(value)} has a decimal part; Zoho IDs are whole numbers (format the column as text)` };
  return { problem: `${column} ${JSON.stringify(value)} is not a Zoho ID (digits only)` };
}
