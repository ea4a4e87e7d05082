import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { exitCodes } from '../exitCodes.js';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { writeMembers } from '../rows/membersCsv.js';
import { readKeep } from '../rows/readKeep.js';
import { readPairs } from '../rows/readPairs.js';
import { clientFor } from '../clientFor.js';
import { confirm } from '../run/confirm.js';
import { resumeHintFor, runFlow, type RunOptions } from '../run/flow.js';
import { checkOutputs } from '../run/prepare.js';
import { findLabel, labelMembers } from '../resolve/labelMembers.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, runFlags, runOptionsFrom, validateRunOptions, withOptions } from './optionTable.js';
import { checkId } from './optionValues.js';

export interface ReconcileOptions extends RunOptions {
  label: string;
  keep: string;
  check: boolean;
  yes: boolean;
  out?: string | undefined;
}

/**
 * `zdlabels reconcile`: members of the label who are not on the keep list are
 * removed; nobody is ever added. `--check` only reports the drift (exit 4 if any).
 */
export async function reconcile(options: ReconcileOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  checkId('label', options.label);
  const keepFile = resolve(io.cwd, options.keep);
  const keep = await readKeep(keepFile);
  const client = clientFor(io, options);
  const label = await findLabel(client, options.label);
  const out = resolve(io.cwd, options.out ?? `reconcile-${options.label}.results.csv`);
  const planFile = artifactsFor(out).plan;
  const name = `"${label.name ?? ''}" (${options.label})`;
  const resumeHint = resumeHintFor(options, out, `zdlabels reconcile --label ${options.label} --keep ${keepFile} --resume --yes --out ${out}`);
  // Resuming works from the first run's plan: the label has changed since.
  const resume = options.resume && !options.check && existsSync(planFile);
  if (options.resume && !options.check && !resume) loggerFor(io).say(`resume: no plan at ${planFile} yet, so nothing was removed; starting from the beginning`);

  let members: Awaited<ReturnType<typeof labelMembers>> = [];
  if (!resume) {
    members = await labelMembers(client, options.label);
    const drift = members.filter((m) => !keep.has(m.userId));
    const memberIds = new Set(members.map((m) => m.userId));
    const notMembers = [...keep].filter((u) => !memberIds.has(u)).length;
    if (options.check) {
      const report = { label: options.label, name: label.name, members: members.length, keep: keep.size, drift: drift.length, wouldRemove: drift.map((m) => ({ userId: m.userId, name: m.name, email: m.email })), keepNotMembers: notMembers };
      if (options.json) io.stdout.write(`${JSON.stringify(report)}\n`);
      const log = loggerFor(io);
      if (log.json) log.event('drift', report);
      else {
        const lines = [`reconcile --check ${name}: ${members.length} members, ${keep.size} on the keep list`];
        if (drift.length === 0) lines.push('  no drift: every member is on the keep list');
        else {
          lines.push(`  drift: ${drift.length} member(s) not on the keep list would be removed:`);
          for (const m of drift.slice(0, 100)) lines.push(`    ${m.userId}  ${m.name}  ${m.email}`);
          if (drift.length > 100) lines.push(`    … and ${drift.length - 100} more (--json lists them all)`);
        }
        if (notMembers > 0) lines.push(`  ${notMembers} user(s) on the keep list do not hold the label (reconcile never adds)`);
        for (const l of lines) log.say(l);
      }
      return drift.length === 0 ? exitCodes.ok : exitCodes.drift;
    }
    // A truncated desired-state file must not wipe a label.
    const limit = options.maxRemovals ?? Math.floor(members.length / 2);
    if (keep.size === 0 && drift.length > 0 && options.maxRemovals === undefined) {
      throw new ZdlabelsError('SAFETY_LIMIT', `the keep file ${keepFile} lists nobody: that would remove all ${members.length} members of ${name}; nothing was sent. If that is the intent, use retire-label, or pass --max-removals ${members.length}.`);
    }
    if (drift.length > limit) {
      throw new ZdlabelsError('SAFETY_LIMIT', `reconcile would remove ${drift.length} of ${members.length} members of ${name}, more than --max-removals ${limit}${options.maxRemovals === undefined ? ' (default: half the members)' : ''}; nothing was sent. Check ${keepFile}, or raise --max-removals if this is intended.`);
    }
    await checkOutputs(out, { resume: false, inputs: [keepFile], resumeHint, also: [{ path: planFile, option: '--out', what: 'the planned removals' }] });
    await writeMembers(planFile, drift);
  } else await checkOutputs(out, { resume: true, inputs: [keepFile, planFile], resumeHint });
  const { exitCode } = await runFlow(
    {
      command: 'reconcile',
      action: 'remove',
      rows: await readPairs(planFile),
      out,
      options: { ...options, resume, maxRemovals: undefined },
      client,
      outputsChecked: true,
      knownMembers: members.length > 0 ? { labelId: options.label, userIds: new Set(members.map((m) => m.userId)) } : undefined,
      confirm: options.yes ? undefined : (_plan, pending) => confirm(io, `Remove ${pending} users who are not on the keep list from label ${name}?`),
      resumeHint,
      notes: members.length > 0 ? [`reconcile ${name}: ${members.length} members, ${keep.size} on the keep list; nobody is ever added`] : [],
    },
    io,
  );
  return exitCode;
}

export const reconcileCommand = commandModule({
  command: 'reconcile',
  describe: 'Remove members of a label who are not on a keep list (never adds); --check reports drift for CI',
  builder: (y) =>
    withOptions(y, [...runFlags, 'check', 'yes', 'verify'])
      .option('label', { ...optionTable.label, demandOption: true })
      .option('keep', { ...optionTable.keep, demandOption: true, describe: 'CSV with a user_id column: who should hold the label' })
      .option('max-removals', { ...optionTable['max-removals'], describe: 'Refuse a plan removing more (default: half the members)' }),
  handler: (a) => choose(a, (io) => reconcile({ label: a.label, keep: a.keep, check: a.check, yes: a.yes, out: a.out, ...runOptionsFrom(a) }, io)),
});
