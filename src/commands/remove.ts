import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { readInput, sourceOf } from '../rows/readPairs.js';
import { lookUp } from '../resolve/lookups.js';
import { runFlow, type RunOptions } from '../run/flow.js';
import { checkOutputs } from '../run/prepare.js';
import { choose, commandModule } from './commandModule.js';
import { runFlags, runOptionsFrom, validateRunOptions, withOptions } from './optionTable.js';

export interface RemoveOptions extends RunOptions {
  input: string;
  out?: string | undefined;
  /** Check every row's user among its label's members before sending (non-members end not_member, unsent). */
  checkMembers?: boolean | undefined;
}

/** `<input>.results.csv` beside the input. */
const resultsBeside = (input: string): string => `${input.replace(/\.csv$/i, '')}.results.csv`;

/**
 * `zdlabels remove`: rows from a CSV naming a user (user_id or email) and a
 * label (label_id or label name). Emails and names are looked up first.
 */
export async function remove(options: RemoveOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const input = resolve(io.cwd, options.input);
  const out = resolve(io.cwd, options.out ?? resultsBeside(options.input));
  const resumeHint = `zdlabels remove ${input} --resume --out ${out}`;
  // Where it writes is checked before the input is even read.
  await checkOutputs(out, { resume: options.resume, inputs: [input], resumeHint });
  const read = await readInput(input);
  const checkMembers = options.checkMembers === true;
  const looked = read.lookups.length === 0 && !checkMembers ? { rows: sourceOf(read) } : await lookUp(read, options, { out, resumeHint, checkMembers }, io);
  const { exitCode } = await runFlow({ command: 'remove', action: 'remove', out, options, resumeHint, outputsChecked: true, ...looked }, io);
  return exitCode;
}

export const removeCommand = commandModule({
  command: 'remove <input>',
  describe: 'Remove users from labels: one user (ID or email) and label (ID or name) per CSV row',
  builder: (y) =>
    withOptions(y, [...runFlags, 'by', 'max-removals', 'help-center-id', 'verify', 'check-members']).positional('input', {
      type: 'string',
      demandOption: true,
      describe: 'CSV with user_id (or email) and label_id (or label) columns',
    }),
  handler: (a) => choose(a, (io) => remove({ input: a.input, out: a.out, checkMembers: a['check-members'], ...runOptionsFrom(a) }, io)),
});
