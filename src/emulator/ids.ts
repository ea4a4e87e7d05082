// The emulator's one home for ID syntax. Zoho's spec types every ID as an
// int64 with pattern [0-9]+ [OAS]; the emulator takes what that allows and no
// more, and never borrows the client's stricter checks (src/zoho/ids.ts): it
// is there to check the client, not to share its code.

/** Zoho's pattern of an ID, as the seed's JSON Schema states it. */
export const idPattern = '^[0-9]+$';
const digitsOnly = new RegExp(idPattern);

/** Digits only: a path ID, the orgId header, a page's `from`/`limit`, an index in a field name. */
export const isDigits = (text: string): boolean => digitsOnly.test(text);

/** An ID as Zoho takes it: a string of digits, or (in a JSON body) a non-negative integer. */
export const isId = (value: unknown): boolean =>
  (typeof value === 'string' && isDigits(value)) || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
