import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors/InputError.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { writeMembers } from '../rows/members.js';
import { pairsSource } from '../rows/readPairs.js';
import { confirm } from '../run/confirm.js';
import { clientFor, runFlow, type RunOptions } from '../run/flow.js';
import { findLabel, labelMembers } from '../run/members.js';
import { checkId, validateRunOptions } from './options.js';

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
export async function retireLabelCommand(options: RetireLabelOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  checkId('label', options.label);
  const client = clientFor(io, options);
  const label = await findLabel(client, options.label);
  const out = resolve(io.cwd, options.out ?? `retire-${options.label}.results.csv`);
  const snapshot = resolve(io.cwd, options.snapshot ?? `${out.replace(/(\.results)?\.csv$/i, '')}.snapshot.csv`);
  if (options.resume) {
    // The snapshot of the first run is the input: the label has fewer members by now.
    if (!existsSync(snapshot)) throw new InputError(snapshot, undefined, 'no snapshot of an earlier run to resume from');
  } else {
    const members = await labelMembers(client, options.label);
    await writeMembers(snapshot, members);
    loggerFor(io).say(`snapshot: ${members.length} members of "${label.name ?? options.label}" written to ${snapshot}`);
  }
  const name = `"${label.name ?? ''}" (${options.label})`;
  const { exitCode } = await runFlow(
    {
      command: 'retire-label',
      action: 'remove',
      ...(await pairsSource(snapshot)),
      out,
      options,
      client,
      confirm: options.yes ? undefined : (plan, pending) => confirm(io, `Remove all ${pending.length} users from label ${name} in ${plan.batches.length} calls?`),
      resumeHint: `zdlabels retire-label --label ${options.label} --resume --yes --out ${out}`,
      notes: [
        `The label ${name} itself was not deleted: zdlabels never deletes labels.`,
        `Once deleting it is the intent, delete it in Zoho Desk (Help Center › user labels). The snapshot ${snapshot} lists who held it; \`zdlabels restore ${out}\` puts them back.`,
      ],
    },
    io,
  );
  return exitCode;
}
