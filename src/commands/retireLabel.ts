import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { refuseLosingMembers } from '../files/snapshots.js';
import { writeMembers } from '../rows/membersCsv.js';
import { readPairs } from '../rows/readPairs.js';
import { clientFor } from '../clientFor.js';
import { confirm } from '../run/confirm.js';
import { resumeHintFor, runFlow, type RunOptions } from '../run/flow.js';
import { checkOutputs } from '../run/prepare.js';
import { findLabel, labelMembers } from '../resolve/labelMembers.js';
import { labelTitle } from '../resolve/labelNames.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, runFlags, runOptionsFrom, validateRunOptions, withOptions } from './optionTable.js';
import { checkId } from './optionValues.js';

export interface RetireLabelOptions extends RunOptions {
  label: string;
  yes: boolean;
  out?: string | undefined;
  snapshot?: string | undefined;
}

/**
 * `zdlabels retire-label`: snapshot the label's members, then remove every one
 * of them. The label itself is never deleted.
 */
export async function retireLabel(options: RetireLabelOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  checkId('label', options.label);
  const out = resolve(io.cwd, options.out ?? `retire-${options.label}.results.csv`);
  const snapshot = resolve(io.cwd, options.snapshot ?? artifactsFor(out).snapshot);
  const resumeHint = resumeHintFor(options, out, `zdlabels retire-label --label ${options.label} --resume --yes --out ${out}`);
  const log = loggerFor(io);
  // Resuming works from the first run's snapshot: the label has fewer members by now.
  const resume = options.resume && existsSync(snapshot);
  if (options.resume && !resume) log.say(`resume: no snapshot at ${snapshot} yet, so nothing was removed; starting from the beginning`);
  // Where it writes is checked before any call.
  if (resume) await checkOutputs(out, { resume: true, inputs: [snapshot], resumeHint });
  else await checkOutputs(out, { resume: false, inputs: [], resumeHint, also: [{ path: snapshot, option: '--snapshot', what: "the label's members" }] });
  const client = clientFor(io, options);
  const label = await findLabel(client, options.label);
  const name = labelTitle(label);
  let knownMembers: Map<string, Set<string>> | undefined;
  if (!resume) {
    const members = await labelMembers(client, options.label);
    await refuseLosingMembers(snapshot, options.snapshot === undefined ? '--out' : '--snapshot', members, resumeHint);
    await writeMembers(snapshot, members);
    knownMembers = new Map([[options.label, new Set(members.map((m) => m.userId))]]);
    log.say(`snapshot: ${members.length} members of ${name} written to ${snapshot}`);
  }
  const { exitCode } = await runFlow(
    {
      command: 'retire-label',
      action: 'remove',
      rows: await readPairs(snapshot),
      out,
      options: { ...options, resume },
      client,
      outputsChecked: true,
      rowsHeldAtStart: true,
      knownMembers,
      confirm: options.yes ? undefined : (plan, pending) => confirm(io, `Remove all ${pending} users from label ${name} in ${plan.batches.length} calls?`),
      resumeHint,
      notes: [
        `The label ${name} itself was not deleted: zdlabels never deletes labels.`,
        `Once deleting it is the intent, delete it in Zoho Desk (Help Center › user labels). The snapshot ${snapshot} lists who held it; \`zdlabels restore ${out}\` puts them back.`,
      ],
    },
    io,
  );
  return exitCode;
}

export const retireLabelCommand = commandModule({
  command: 'retire-label',
  describe: "Snapshot a label's members, then remove all of them (the label itself is kept)",
  builder: (y) => withOptions(y, [...runFlags, 'yes', 'snapshot', 'verify']).option('label', { ...optionTable.label, demandOption: true }),
  handler: (a) => choose(a, (io) => retireLabel({ label: a.label, yes: a.yes, out: a.out, snapshot: a.snapshot, ...runOptionsFrom(a) }, io)),
});
