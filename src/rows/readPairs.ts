import { findRepeats } from '../plan/group.js';
import { forEachRecord } from './csvFile.js';
import { checkIdCell } from './ids.js';
import { OutcomeStore } from './outcomes.js';
import type { Interner } from './interner.js';
import { RowTableBuilder, type RowTable } from './table.js';

/** Rows to act on, the rows that cannot be sent (already given their outcome), and what they came from. */
export interface RowSource {
  table: RowTable;
  outcomes: OutcomeStore;
  /** What the rows came from, tying a journal to it. */
  source: { path: string; sha256: string };
}

interface Problem {
  row: number;
  message: string;
}

/** Checks both ID cells of a row; the problem, if any, in the user's words. */
export function pairProblem(rawUser: string | undefined, rawLabel: string | undefined): { user: string; label: string; problem?: string } {
  const user = checkIdCell('user_id', rawUser);
  const label = checkIdCell('label_id', rawLabel);
  const problems = [user, label].flatMap((c) => ('problem' in c ? [c.problem] : []));
  return {
    user: 'id' in user ? user.id : (rawUser ?? '').trim(),
    label: 'id' in label ? label.id : (rawLabel ?? '').trim(),
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
  };
}

/**
 * Gives outcomes to the rows that cannot be sent: `invalid` ones (with their
 * line and problem) and repeated pairs, `duplicate` naming the first row.
 */
export function outcomesFor(table: RowTable, invalid: readonly Problem[]): OutcomeStore {
  const outcomes = new OutcomeStore(table.size);
  for (const p of invalid) outcomes.set(p.row, 'invalid', { message: `line ${table.line[p.row]!}: ${p.message}` });
  const valid = new Uint32Array(table.size - invalid.length);
  let n = 0;
  for (let i = 0; i < table.size; i += 1) if (outcomes.status(i) === undefined) valid[n++] = i;
  findRepeats(valid, table.user, table.label, table.users.size, table.labels.size, (row, first) => {
    outcomes.set(row, 'duplicate', { message: `line ${table.line[row]!}: same pair as row ${first + 1}` });
  });
  return outcomes;
}

/** An ID cell as read: its interned value (trimmed) and what is wrong with it, if anything. */
interface Cell {
  index: number;
  problem: string | undefined;
}

/**
 * Checks each distinct cell text once: a million rows name 50,000 users and
 * 200 labels, so the check (and the interning) runs per distinct value.
 */
function cellReader(column: string, interner: Interner): (raw: string | undefined) => Cell {
  const seen = new Map<string, Cell>();
  return (raw) => {
    const key = raw ?? '';
    let cell = seen.get(key);
    if (cell === undefined) {
      const checked = checkIdCell(column, raw);
      cell = 'id' in checked ? { index: interner.intern(checked.id), problem: undefined } : { index: interner.intern(key.trim()), problem: checked.problem };
      seen.set(key, cell);
    }
    return cell;
  };
}

/**
 * Reads a CSV of (user, label) pairs as a stream. File-level problems throw an
 * InputError; a bad row keeps its problem so it is reported in the results,
 * and the others go on. The same pair twice: the later row is a duplicate.
 */
export async function readPairs(file: string): Promise<RowSource> {
  const builder = new RowTableBuilder();
  const invalid: Problem[] = [];
  const userCell = cellReader('user_id', builder.users);
  const labelCell = cellReader('label_id', builder.labels);
  const { sha256 } = await forEachRecord(file, { userid: 'user_id', labelid: 'label_id' }, (cells, line, { index }) => {
    const user = userCell(cells[index.userid!]);
    const label = labelCell(cells[index.labelid!]);
    const row = builder.addInterned(user.index, label.index, line);
    if (user.problem !== undefined || label.problem !== undefined) invalid.push({ row, message: [user.problem, label.problem].filter((p) => p !== undefined).join('; ') });
  });
  const table = builder.finish();
  return { table, outcomes: outcomesFor(table, invalid), source: { path: file, sha256 } };
}
