import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { readPairs } from '../rows/readPairs.js';
import { runFlow, type RunOptions } from '../run/flow.js';
import { validateRunOptions } from './options.js';

export interface RemoveOptions extends RunOptions {
  input: string;
  out?: string | undefined;
}

/** `<input>.results.csv` beside the input. */
const resultsBeside = (input: string): string => `${input.replace(/\.csv$/i, '')}.results.csv`;

/** `zdlabels remove`: rows from a CSV of (user_id, label_id) pairs. */
export async function removeCommand(options: RemoveOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const input = resolve(io.cwd, options.input);
  const out = resolve(io.cwd, options.out ?? resultsBeside(options.input));
  const { exitCode } = await runFlow(
    {
      command: 'remove',
      action: 'remove',
      rows: await readPairs(input),
      out,
      options,
      resumeHint: `zdlabels remove ${input} --resume --out ${out}`,
    },
    io,
  );
  return exitCode;
}
