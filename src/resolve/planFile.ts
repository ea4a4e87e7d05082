// The rows as looked up, kept beside the results (`x.plan.csv`) before any
// write: a resumed run reads them back instead of looking up again, because by
// then the users it removed are no longer members to find by email.
import { InputError } from '../errors/InputError.js';
import { columnKey, forEachRecord } from '../rows/csvFile.js';
import { checkIdCell } from '../rows/idCells.js';
import { outcomesFor, type Preset, type RowSource } from '../rows/readPairs.js';
import { writeResults } from '../rows/results.js';
import { RowTableBuilder } from '../rows/table.js';
import { TextColumnBuilder } from '../rows/textColumn.js';
import type { Status } from '../rows/types.js';

/** The plan's column saying a row was read held before the first write (`yes`): a resumed run keeps that evidence. */
const HELD = 'held_at_start';

/** Writes the looked-up rows in the results file's format: what a dry run would report, rows to send as `planned`. */
export async function writePlan(path: string, rows: RowSource): Promise<void> {
  const held = new TextColumnBuilder(HELD);
  for (let i = 0; i < rows.table.size; i += 1) held.add(rows.heldAtStart?.[i] === 1 ? 'yes' : '');
  await writeResults(path, rows.table, rows.outcomes, { extra: [...(rows.extra ?? []), held.finish()], pendingAs: 'planned' });
}

/** Statuses a plan may hold: `planned` (to send) and those decided before sending. */
const decided = new Set<Status>(['invalid', 'duplicate', 'not_member', 'not_found']);

/**
 * Reads a plan back as the rows of `source` (the input it was made from, which
 * the journal is tied to). Its rows must be that input's, one for one.
 */
export async function readPlan(path: string, source: RowSource['source']): Promise<RowSource> {
  const builder = new RowTableBuilder();
  const presets: Preset[] = [];
  const extras = new Map<number, TextColumnBuilder>();
  const held: number[] = [];
  let heldAt = -1;
  const bad = (line: number, why: string) => new InputError(path, line, `${why}: not a plan zdlabels wrote; run without --resume and with another --out`);
  await forEachRecord(path, { row: 'row', userid: 'user_id', labelid: 'label_id', status: 'status', message: 'message' }, (cells, line, { index, headers }) => {
    if (builder.size === 0) {
      // What the input said (email, label name) comes back as the same extra columns.
      headers.forEach((h, at) => {
        if (columnKey(h) === 'email' || columnKey(h) === 'label') extras.set(at, new TextColumnBuilder(columnKey(h)));
        if (h.trim() === HELD) heldAt = at;
      });
    }
    const row = builder.size;
    if (cells[index.row!] !== String(row + 1)) throw bad(line, `row ${JSON.stringify(cells[index.row!])} where row ${row + 1} was expected`);
    const status = (cells[index.status!] ?? '').trim() as Status;
    if (status !== 'planned' && !decided.has(status)) throw bad(line, `status ${JSON.stringify(status)} (expected planned or one of ${[...decided].join(', ')})`);
    const [user, label] = [cells[index.userid!] ?? '', cells[index.labelid!] ?? ''];
    if (status === 'planned' && !('id' in checkIdCell('user_id', user) && 'id' in checkIdCell('label_id', label))) throw bad(line, 'a planned row without valid IDs');
    builder.add(user, label, line);
    for (const [at, column] of extras) column.add(cells[at] ?? '');
    if (heldAt >= 0 && cells[heldAt] === 'yes') held.push(row);
    if (status !== 'planned') presets.push({ row, status, message: cells[index.message!] ?? '' });
  });
  const table = builder.finish();
  const heldAtStart = new Uint8Array(table.size);
  for (const row of held) heldAtStart[row] = 1;
  return { table, outcomes: outcomesFor(table, [], presets), source, extra: [...extras.values()].map((c) => c.finish()), heldAtStart };
}
