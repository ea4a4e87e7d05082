// Zoho types IDs as `string|integer` int64. An integer ID past 2^53 would lose
// digits in JSON.parse, so integers too long to be exact are turned into
// strings before parsing. Strings are matched first so their content is never touched.
const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![.eE\d])/g;

export function parseJsonKeepingIds(text: string): unknown {
  const safe = text.replace(TOKEN, (token) => {
    if (token.startsWith('"')) return token;
    return Number.isSafeInteger(Number(token)) ? token : `"${token}"`;
  });
  return JSON.parse(safe) as unknown;
}
