import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { pairsSource } from '../rows/readPairs.js';
import { runFlow, type RunOptions } from '../run/flow.js';
import { validateRunOptions } from './options.js';

export interface RemoveOptions extends RunOptions {
  input: string;
  out?: string | undefined;
}

export const defaultOut = (input: string): string => `${input.replace(/\.csv$/i, '')}.results.csv`;

/** `zdlabels remove`: rows from a CSV of (user_id, label_id) pairs. */
export async function removeCommand(options: RemoveOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const input = resolve(io.cwd, options.input);
  const out = resolve(io.cwd, options.out ?? defaultOut(options.input));
  const { exitCode } = await runFlow(
    {
      command: 'remove',
      action: 'remove',
      ...(await pairsSource(input)),
      out,
      options,
      resumeHint: `zdlabels remove ${options.input} --resume${options.out ? ` --out ${options.out}` : ''}`,
    },
    io,
  );
  return exitCode;
}
