import { streamFileAtomic } from '../files/atomic.js';
import type { OutcomeStore } from './outcomes.js';
import { rowNumberOf, type RowTable } from './table.js';
import type { TextColumn } from './textColumn.js';
import type { Status } from './types.js';

export const resultColumns = ['row', 'user_id', 'label_id', 'status', 'http_status', 'error_code', 'message', 'attempts', 'batch_id', 'finished_at'] as const;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and tab or
 * carriage return before them) gets a leading apostrophe (OWASP's advice).
 */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV cell: formula-escaped, then quoted if it holds a comma, quote or line break (RFC 4180). */
function csvCell(value: string): string {
  const v = escapeFormula(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Caches the CSV form of each distinct value (IDs and messages repeat across rows). */
function cellCache(valueOf: (k: number) => string): (k: number) => string {
  const cache: string[] = [];
  return (k) => (cache[k] ??= csvCell(valueOf(k)));
}

/** ISO timestamps, one Date per distinct millisecond. */
function isoCache(): (ms: number) => string {
  let last = -1;
  let text = '';
  return (ms) => {
    if (ms === 0) return '';
    if (ms !== last) {
      last = ms;
      text = new Date(ms).toISOString();
    }
    return text;
  };
}

const CHUNK = 1 << 20;

/** The cells of the extra columns of row i (`,a,b`), or undefined when there are none (the common case costs nothing). */
function extraCells(extra: readonly TextColumn[]): ((i: number) => string) | undefined {
  if (extra.length === 0) return undefined;
  const cells = extra.map((c) => ({ at: c.at, cell: cellCache((k) => c.values.value(k)) }));
  return (i) => {
    let s = '';
    for (const { at, cell } of cells) s += at[i]! < 0 ? ',' : `,${cell(at[i]!)}`;
    return s;
  };
}

export interface ResultsOptions {
  /** Adds the `verified` column. */
  verify?: boolean | undefined;
  /** Columns of what the rows said (email, label name), after the others. */
  extra?: readonly TextColumn[] | undefined;
  /** The status shown for a row without one (default `deferred`: never sent; a plan shows `planned`). */
  pendingAs?: Status | undefined;
}

/**
 * Writes the results file: one line per input row, in input order, streamed
 * (never the whole file in memory) and atomically (temp file, then rename);
 * its folder must exist.
 */
export async function writeResults(path: string, table: RowTable, outcomes: OutcomeStore, options: ResultsOptions = {}): Promise<void> {
  const verify = options.verify ?? false;
  const extra = options.extra ?? [];
  const tail = extraCells(extra);
  const pending = options.pendingAs ?? 'deferred';
  const user = cellCache((k) => table.users.value(k));
  const label = cellCache((k) => table.labels.value(k));
  const code = cellCache((d) => outcomes.detailAt(d).code);
  const message = cellCache((d) => outcomes.detailAt(d).message);
  // Batch ids are the tool's own (b12.1.r), but a journal is a file: a hand-edited one must not break the CSV.
  const batches = new Map<string, string>();
  const batch = (b: string | undefined): string => (b === undefined ? '' : (batches.get(b) ?? batches.set(b, csvCell(b)).get(b)!));
  const iso = isoCache();
  await streamFileAtomic(path, async (write) => {
    let chunk = `${[...resultColumns, ...(verify ? ['verified'] : []), ...extra.map((c) => c.name)].join(',')}\n`;
    for (let i = 0; i < table.size; i += 1) {
      const d = outcomes.detailIndex(i);
      const http = outcomes.http(i);
      chunk += `${rowNumberOf(table, i)},${user(table.user[i]!)},${label(table.label[i]!)},${outcomes.status(i) ?? pending},${http === 0 ? '' : http},${d < 0 ? '' : code(d)},${d < 0 ? '' : message(d)},${outcomes.attempts(i)},${batch(outcomes.batch(i))},${iso(outcomes.at(i))}${verify ? `,${outcomes.verified(i) ?? ''}` : ''}${tail === undefined ? '' : tail(i)}\n`;
      if (chunk.length >= CHUNK) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  });
}
