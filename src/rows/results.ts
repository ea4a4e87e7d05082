import { rename, writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import type { Outcome } from './types.js';

export const resultColumns = ['row', 'user_id', 'label_id', 'status', 'http_status', 'error_code', 'message', 'attempts', 'batch_id', 'finished_at'] as const;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and tab or
 * carriage return before them) gets a leading apostrophe (OWASP's advice).
 */
export function escapeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function resultRecord(o: Outcome, verify = false): string[] {
  const cells = [
    String(o.row),
    o.userId,
    o.labelId,
    o.status,
    o.httpStatus === undefined ? '' : String(o.httpStatus),
    o.errorCode ?? '',
    o.message ?? '',
    String(o.attempts),
    o.batchId ?? '',
    o.finishedAt,
  ];
  if (verify) cells.push(o.verified ?? '');
  return cells.map(escapeFormula);
}

/** Writes the results file in input order, atomically (temp file, then rename); its folder must exist. */
export async function writeResults(path: string, outcomes: readonly Outcome[], options: { verify?: boolean } = {}): Promise<void> {
  const verify = options.verify ?? false;
  const sorted = [...outcomes].sort((a, b) => a.row - b.row);
  const columns = verify ? [...resultColumns, 'verified'] : [...resultColumns];
  const text = stringify(
    sorted.map((o) => resultRecord(o, verify)),
    { header: true, columns },
  );
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}
