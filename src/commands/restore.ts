import { resolve } from 'node:path';
import { stemOf } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { readRemoved } from '../rows/readRemoved.js';
import { runFlow, type RunOptions } from '../run/flow.js';
import { choose, commandModule } from './commandModule.js';
import { runFlags, runOptionsFrom, validateRunOptions, withOptions } from './optionTable.js';

export interface RestoreOptions extends RunOptions {
  results: string;
  out?: string | undefined;
}

/**
 * `zdlabels restore`: adds back (`POST /labels/{labelId}/users/add`, batched)
 * every pair a results file marks `removed`. Its rows are those pairs, under
 * their row number in that file. Adding is idempotent: a second run changes nothing.
 */
export async function restore(options: RestoreOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const input = resolve(io.cwd, options.results);
  const out = resolve(io.cwd, options.out ?? `${stemOf(input)}.restore.csv`);
  const { exitCode } = await runFlow(
    {
      command: 'restore',
      action: 'add',
      rows: await readRemoved(input),
      out,
      options: { ...options, by: 'label' },
      resumeHint: `zdlabels restore ${input} --resume --out ${out}`,
    },
    io,
  );
  return exitCode;
}

export const restoreCommand = commandModule({
  command: 'restore <results>',
  describe: 'Add back every pair an earlier results file marks removed',
  builder: (y) => withOptions(y, runFlags).positional('results', { type: 'string', demandOption: true, describe: 'Results CSV of remove, retire-label, reconcile or prune' }),
  handler: (a) => choose(a, (io) => restore({ results: a.results, out: a.out, ...runOptionsFrom(a) }, io)),
});
