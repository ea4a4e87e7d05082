import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { sha256File } from '../rows/digest.js';
import { forEachRecord } from '../rows/csvFile.js';
import { checkIdCell } from '../rows/ids.js';
import type { InputRow } from '../rows/types.js';
import { runFlow, type RunOptions } from '../run/flow.js';
import { validateRunOptions } from './options.js';

export interface RestoreOptions extends RunOptions {
  results: string;
  out?: string | undefined;
}

/**
 * `zdlabels restore`: adds back (`POST /labels/{labelId}/users/add`, batched)
 * every pair a results file marks `removed`. Its rows are those pairs, under
 * their row number in that file. Adding is idempotent: a second run changes nothing.
 */
export async function restoreCommand(options: RestoreOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const input = resolve(io.cwd, options.results);
  const out = resolve(io.cwd, options.out ?? `${input.replace(/(\.results)?\.csv$/i, '')}.restore.csv`);
  const rows: InputRow[] = [];
  await forEachRecord(input, { row: 'row', userid: 'user_id', labelid: 'label_id', status: 'status' }, (cells, line, { index }) => {
    if (cells[index.status!]?.trim() !== 'removed') return;
    const user = checkIdCell('user_id', cells[index.userid!]);
    const label = checkIdCell('label_id', cells[index.labelid!]);
    const row = Number(cells[index.row!]);
    const base = { row: Number.isInteger(row) && row > 0 ? row : line - 1, line, userId: 'id' in user ? user.id : '', labelId: 'id' in label ? label.id : '' };
    if ('id' in user && 'id' in label) rows.push(base);
    else rows.push({ ...base, problem: { status: 'invalid', message: [user, label].flatMap((c) => ('problem' in c ? [c.problem] : [])).join('; ') } });
  });
  const { exitCode } = await runFlow(
    {
      command: 'restore',
      action: 'add',
      rows,
      source: { path: input, sha256: await sha256File(input) },
      out,
      options: { ...options, by: 'label' },
      resumeHint: `zdlabels restore ${options.results} --resume${options.out ? ` --out ${options.out}` : ''}`,
    },
    io,
  );
  return exitCode;
}
