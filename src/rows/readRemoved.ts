import { forEachRecord } from './csvFile.js';
import { pairProblem, outcomesFor, type RowSource } from './readPairs.js';
import { RowTableBuilder } from './table.js';

/**
 * The rows of a results file (of remove, retire-label, reconcile or prune) marked
 * `removed`, under their row numbers in that file: what `restore` adds back.
 */
export async function readRemoved(file: string): Promise<RowSource> {
  const builder = new RowTableBuilder();
  const invalid: { row: number; message: string }[] = [];
  const { sha256 } = await forEachRecord(file, { row: 'row', userid: 'user_id', labelid: 'label_id', status: 'status' }, (cells, line, { index }) => {
    if (cells[index.status!]?.trim() !== 'removed') return;
    const p = pairProblem(cells[index.userid!], cells[index.labelid!]);
    const n = Number(cells[index.row!]);
    const row = builder.add(p.user, p.label, line, Number.isInteger(n) && n > 0 ? n : line - 1);
    if (p.problem !== undefined) invalid.push({ row, message: p.problem });
  });
  const table = builder.finish();
  return { table, outcomes: outcomesFor(table, invalid), source: { path: file, sha256 } };
}
