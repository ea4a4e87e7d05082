import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { InputError } from '../errors/InputError.js';
import { shorten } from '../errors/shorten.js';
import { lineOfOffset, nulGuard, NulByteFound } from './nulGuard.js';
import { binaryContent, readHead, refuseBinaryHead, sniffDelimiter, sniffRecordDelimiter } from './sniff.js';

/**
 * Longest record (header included) read, in characters. A real row of IDs,
 * names and notes is far shorter; a file without line breaks (or a quote never
 * closed) stops here, in milliseconds, instead of being read whole into memory.
 */
const MAX_RECORD_CHARS = 1024 * 1024;
/** Most headers a message lists. */
const LISTED_HEADERS = 20;

/** `user_id`, `userId`, `User ID` … all name the same column. */
export const columnKey = (header: string): string => header.toLowerCase().replace(/[^a-z0-9]/g, '');

export interface CsvColumns {
  headers: string[];
  /** Index of each wanted column (by columnKey). */
  index: Record<string, number>;
}

function listHeaders(headers: string[]): string {
  const shown = headers.slice(0, LISTED_HEADERS).map((h) => JSON.stringify(shorten(h)));
  return `${shown.join(', ')}${headers.length > LISTED_HEADERS ? ` … (${headers.length} in all)` : ''}`;
}

/** Finds the wanted columns in the header row, or says which are missing and what was found. */
function matchHeader(file: string, line: number, record: string[], columns: Record<string, string>): CsvColumns {
  const headers = record.map((h) => h.trim());
  const keys = headers.map(columnKey);
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const [group, name] of Object.entries(columns)) {
    // `userid|email`: any one of these columns will do; each one present gets its index.
    for (const key of group.split('|')) {
      const at = keys.flatMap((k, i) => (k === key ? [i] : []));
      if (at.length > 1) throw new InputError(file, line, `the header has ${at.length} columns that mean ${name}: keep one`);
      if (at.length === 1) index[key] = at[0]!;
    }
    if (!group.split('|').some((key) => key in index)) missing.push(name);
  }
  if (missing.length > 0) {
    throw new InputError(file, line, `no ${missing.join(' and ')} column in the header; the headers found are ${listHeaders(headers)}`);
  }
  return { headers, index };
}

/** A parse failure as an InputError with the line and what to do; nothing of the file's content beyond a short excerpt. */
async function explainParseError(file: string, error: unknown, lastLine: number): Promise<InputError> {
  if (error instanceof InputError) return error;
  if (error instanceof NulByteFound) return binaryContent(file, await lineOfOffset(file, error.offset));
  if (error instanceof CsvError) {
    const lines = (error as CsvError & { lines?: unknown }).lines;
    // An unclosed quote swallows the rest of the file (up to the size cap, across
    // line breaks): point at the line after the last good row.
    const spansLines = typeof lines === 'number' && lines > lastLine + 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED' || (error.code === 'CSV_MAX_RECORD_SIZE' && spansLines)) {
      return new InputError(file, lastLine + 1, `a quote is opened here (or just below) and never closed (${error.code})`, { cause: error });
    }
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      return new InputError(file, lastLine + 1, `a line longer than ${MAX_RECORD_CHARS} characters: not a CSV file with one row per line (no line breaks?) (${error.code})`, { cause: error });
    }
    return new InputError(file, typeof lines === 'number' ? lines : undefined, `${shorten(error.message)} (${error.code})`, { cause: error });
  }
  return new InputError(file, undefined, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
}

/** What a streamed CSV gave, besides its records: the columns found, and the SHA-256 of the bytes read. */
export interface CsvRead {
  columns: CsvColumns;
  sha256: string;
}

/** A pass-through that hashes what flows through it (the file is read once, not once more for its digest). */
function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/**
 * Streams a CSV with a header row through csv-parse. File-level problems throw
 * an InputError with the file, line and reason. `columns` lists the column
 * keys that must be in the header (e.g. `userid`), with their display names;
 * a key `userid|email` is satisfied by either column. Records are taken in a synchronous `data` handler, where the parser's own
 * line counter is exact: csv-parse's `info` option (an object per record) and
 * async iteration would double the time a million rows take.
 */
export async function forEachRecord(
  file: string,
  columns: Record<string, string>,
  onRecord: (cells: string[], line: number, cols: CsvColumns) => void,
): Promise<CsvRead> {
  const head = await readHead(file);
  if (head.length === 0) throw new InputError(file, undefined, `the file is empty: expected a header row with ${Object.values(columns).join(' and ')}`);
  refuseBinaryHead(file, head);
  const parser = parse({
    bom: true,
    delimiter: sniffDelimiter(head),
    record_delimiter: sniffRecordDelimiter(head),
    max_record_size: MAX_RECORD_CHARS,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  });
  const hash = createHash('sha256');
  let cols: CsvColumns | undefined;
  let lastLine = 0;
  const done = new Promise<void>((resolve, reject) => {
    parser.on('data', (record: string[]) => {
      try {
        const line = parser.info.lines;
        if (cols === undefined) cols = matchHeader(file, line, record, columns);
        else onRecord(record, line, cols);
        lastLine = line;
      } catch (error) {
        parser.destroy(error as Error);
      }
    });
    // The first failure of any stage (read, NUL guard, parse, a record refused) ends it all.
    pipeline(createReadStream(file), hashing(hash), nulGuard(), parser, (error) => (error ? reject(error) : resolve()));
  });
  try {
    await done;
  } catch (error) {
    throw await explainParseError(file, error, lastLine);
  }
  if (cols === undefined) throw new InputError(file, undefined, `the file has no rows: expected a header row with ${Object.values(columns).join(' and ')}`);
  return { columns: cols, sha256: hash.digest('hex') };
}
