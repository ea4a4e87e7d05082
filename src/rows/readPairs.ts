import { InputError } from '../errors/InputError.js';
import { findRepeats } from '../plan/group.js';
import { forEachRecord, type CsvColumns } from './csvFile.js';
import { checkIdCell } from './idCells.js';
import type { Interner } from './interner.js';
import { OutcomeStore } from './outcomes.js';
import { RowTableBuilder, type RowTable } from './table.js';
import { TextColumnBuilder, type TextColumn } from './textColumn.js';
import type { Status } from './types.js';

/** Rows to act on, the rows that cannot be sent (already given their outcome), and what they came from. */
export interface RowSource {
  table: RowTable;
  outcomes: OutcomeStore;
  /** What the rows came from, tying a journal to it. */
  source: { path: string; sha256: string };
  /** What the rows said beside the IDs (an email, a label name), written again in the results. */
  extra?: readonly TextColumn[] | undefined;
  /** 1 for a row whose pair was read held (among its label's members) before the run's first write. */
  heldAtStart?: Uint8Array | undefined;
}

export interface Problem {
  row: number;
  message: string;
}

/** An outcome decided before planning (by a lookup, or read back from a plan), with its final message. */
export interface Preset {
  row: number;
  status: Status;
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
 * Gives outcomes to the rows that cannot be sent: presets as they are,
 * `invalid` ones (with their line and problem), and repeated pairs among the
 * rest, `duplicate` naming the first row.
 */
export function outcomesFor(table: RowTable, invalid: readonly Problem[], presets: readonly Preset[] = []): OutcomeStore {
  const outcomes = new OutcomeStore(table.size);
  for (const p of presets) outcomes.set(p.row, p.status, { message: p.message });
  for (const p of invalid) outcomes.set(p.row, 'invalid', { message: `line ${table.line[p.row]!}: ${p.message}` });
  const open: number[] = [];
  for (let i = 0; i < table.size; i += 1) if (outcomes.status(i) === undefined) open.push(i);
  findRepeats(Uint32Array.from(open), table.user, table.label, table.users.size, table.labels.size, (row, first) => {
    outcomes.set(row, 'duplicate', { message: `line ${table.line[row]!}: same pair as row ${first + 1}` });
  });
  return outcomes;
}

/** What a pairs CSV says, before any lookup. */
export interface InputRows {
  /** The ID cells as written; '' where the row names its user by email or its label by name. */
  table: RowTable;
  invalid: Problem[];
  /** The email and label-name cells, when the file has those columns. */
  email: TextColumn | undefined;
  labelName: TextColumn | undefined;
  /** Rows that name their user by email or their label by name: they need reads before they can be sent. */
  lookups: number[];
  source: { path: string; sha256: string };
}

/** Where a row's user and label are: the ID columns, and the email and label-name columns the file may have. */
interface Layout {
  userId: number | undefined;
  labelId: number | undefined;
  email: number | undefined;
  labelName: number | undefined;
}

const USER = 'userid|email|emailaddress';
const LABEL = 'labelid|label|labelname';

function layoutOf(file: string, { index, headers }: CsvColumns): Layout {
  for (const [a, b] of [['email', 'emailaddress'], ['label', 'labelname']] as const) {
    if (index[a] !== undefined && index[b] !== undefined) {
      throw new InputError(file, undefined, `the header has both ${JSON.stringify(headers[index[a]])} and ${JSON.stringify(headers[index[b]])}: keep one`);
    }
  }
  return { userId: index.userid, labelId: index.labelid, email: index.email ?? index.emailaddress, labelName: index.label ?? index.labelname };
}

type Side = { id: string } | { name: string } | { problem: string; raw: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One side of a row: its ID cell when filled (ID wins), else its name cell (an email or a label name). */
function sideOf(cells: string[], idAt: number | undefined, nameAt: number | undefined, idName: string, name: 'email' | 'label'): Side {
  const raw = idAt === undefined ? '' : (cells[idAt] ?? '').trim();
  if (raw !== '' || nameAt === undefined) {
    const checked = checkIdCell(idName, raw);
    return 'id' in checked ? checked : { problem: checked.problem, raw };
  }
  const text = (cells[nameAt] ?? '').trim();
  if (text === '') return { problem: idAt === undefined ? `${name} is empty` : `${idName} and ${name} are both empty`, raw };
  if (name === 'email' && !EMAIL.test(text)) return { problem: `email ${JSON.stringify(text)} is not an email address`, raw };
  return { name: text };
}

const cellOf = (s: Side): string => ('id' in s ? s.id : 'raw' in s ? s.raw : '');

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
 * Reads a CSV of rows naming a user (`user_id`, or `email`) and a label
 * (`label_id`, or `label` by name) as a stream. File-level problems throw an
 * InputError; a bad row keeps its problem so it is reported in the results,
 * and the others go on.
 */
export async function readInput(file: string): Promise<InputRows> {
  const builder = new RowTableBuilder();
  const invalid: Problem[] = [];
  const lookups: number[] = [];
  let layout: Layout | undefined;
  let email: TextColumnBuilder | undefined;
  let labelName: TextColumnBuilder | undefined;
  const userCell = cellReader('user_id', builder.users);
  const labelCell = cellReader('label_id', builder.labels);
  const { sha256 } = await forEachRecord(file, { [USER]: 'user_id (or email)', [LABEL]: 'label_id (or label)' }, (cells, line, cols) => {
    if (layout === undefined) {
      layout = layoutOf(file, cols);
      if (layout.email !== undefined) email = new TextColumnBuilder('email');
      if (layout.labelName !== undefined) labelName = new TextColumnBuilder('label');
    }
    if (email === undefined && labelName === undefined) {
      // The common case (IDs only): as cheap per row as it can be.
      const user = userCell(cells[layout.userId!]);
      const label = labelCell(cells[layout.labelId!]);
      const row = builder.addInterned(user.index, label.index, line);
      if (user.problem !== undefined || label.problem !== undefined) invalid.push({ row, message: [user.problem, label.problem].filter((p) => p !== undefined).join('; ') });
      return;
    }
    const user = sideOf(cells, layout.userId, layout.email, 'user_id', 'email');
    const label = sideOf(cells, layout.labelId, layout.labelName, 'label_id', 'label');
    const row = builder.add(cellOf(user), cellOf(label), line);
    email?.add((cells[layout.email!] ?? '').trim());
    labelName?.add((cells[layout.labelName!] ?? '').trim());
    const problems = [user, label].flatMap((s) => ('problem' in s ? [s.problem] : []));
    if (problems.length > 0) invalid.push({ row, message: problems.join('; ') });
    else if ('name' in user || 'name' in label) lookups.push(row);
  });
  return { table: builder.finish(), invalid, email: email?.finish(), labelName: labelName?.finish(), lookups, source: { path: file, sha256 } };
}

/** The extra columns an input keeps for the results. */
export const extraOf = (input: Pick<InputRows, 'email' | 'labelName'>): TextColumn[] => [input.email, input.labelName].filter((c): c is TextColumn => c !== undefined);

/**
 * Reads a CSV of (user, label) pairs that needs no lookups (a snapshot, a
 * plan, an ID-only input). A row naming its user by email or its label by
 * name is `invalid` here: only `remove` looks those up.
 */
export async function readPairs(file: string): Promise<RowSource> {
  return sourceOf(await readInput(file));
}

/** The rows of an input as they are, without lookups (a row that would need one is `invalid`). */
export function sourceOf(input: InputRows): RowSource {
  const invalid = [...input.invalid, ...input.lookups.map((row) => ({ row, message: 'names its user by email or its label by name, which only `zdlabels remove` looks up' }))];
  return { table: input.table, outcomes: outcomesFor(input.table, invalid), source: input.source, extra: extraOf(input) };
}
