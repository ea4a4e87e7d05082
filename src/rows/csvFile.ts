import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../errors/InputError.js';

const SNIFF_BYTES = 64 * 1024;

/** `user_id`, `userId`, `User ID` … all name the same column. */
export const columnKey = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Picks the separator the header line uses most: comma, semicolon or tab. */
function sniffDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

async function sniff(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory, not a CSV file' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(file, undefined, why);
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new InputError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  } finally {
    await handle.close();
  }
}

function refuseBinary(file: string, head: Buffer): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError(file, undefined, 'this is a zip file (an Excel .xlsx workbook?), not CSV: save it as "CSV UTF-8" and try again');
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new InputError(file, undefined, 'the file is UTF-16 encoded: save it as "CSV UTF-8" and try again');
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    const line = head.subarray(0, nul).toString('utf8').split('\n').length;
    throw new InputError(file, line, 'binary content (a NUL byte): this is not a CSV text file');
  }
}

export interface CsvColumns {
  headers: string[];
  /** Index of each wanted column (by columnKey). */
  index: Record<string, number>;
}

/**
 * Streams a CSV with a header row through csv-parse. File-level problems throw
 * an InputError with the file, line and reason. `columns` lists the column
 * keys that must be in the header (e.g. `userid`), with their display names;
 * a key `userid|email` is satisfied by either column.
 */
export async function forEachRecord(
  file: string,
  columns: Record<string, string>,
  onRecord: (cells: string[], line: number, cols: CsvColumns) => void,
): Promise<CsvColumns> {
  const head = await sniff(file);
  if (head.length === 0) throw new InputError(file, undefined, `the file is empty: expected a header row with ${Object.values(columns).join(' and ')}`);
  refuseBinary(file, head);
  const delimiter = sniffDelimiter(head.toString('utf8'));
  const parser = createReadStream(file).pipe(
    parse({ bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_empty_values: true, info: true }),
  );
  let cols: CsvColumns | undefined;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      lastLine = info.lines;
      if (cols === undefined) {
        const headers = record.map((h) => h.trim());
        const keys = headers.map(columnKey);
        const index: Record<string, number> = {};
        const missing: string[] = [];
        for (const [group, name] of Object.entries(columns)) {
          // `userid|email`: any one of these columns will do; each one present gets its index.
          for (const key of group.split('|')) {
            const at = keys.flatMap((k, i) => (k === key ? [i] : []));
            if (at.length > 1) throw new InputError(file, info.lines, `the header has ${at.length} columns that mean ${name}: keep one`);
            if (at.length === 1) index[key] = at[0]!;
          }
          if (!group.split('|').some((key) => key in index)) missing.push(name);
        }
        if (missing.length > 0) {
          throw new InputError(file, info.lines, `no ${missing.join(' and ')} column in the header; the headers found are ${headers.map((h) => JSON.stringify(h)).join(', ')}`);
        }
        cols = { headers, index };
        continue;
      }
      onRecord(record, info.lines, cols);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof CsvError) {
      // An unclosed quote swallows the rest of the file: point at the line after the last good row.
      const unclosed = error.code === 'CSV_QUOTE_NOT_CLOSED';
      const line = unclosed ? lastLine + 1 : typeof error.lines === 'number' ? error.lines : undefined;
      const reason = unclosed ? 'a quote is opened here (or just below) and never closed' : error.message;
      throw new InputError(file, line, `${reason} (${error.code})`);
    }
    throw new InputError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (cols === undefined) throw new InputError(file, undefined, `the file has no rows: expected a header row with ${Object.values(columns).join(' and ')}`);
  return cols;
}
