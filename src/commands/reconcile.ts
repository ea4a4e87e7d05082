import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { exitCodes } from '../exitCodes.js';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { driftLines, driftOf, driftReport, limitRefusal, type Drift, type DriftReport } from '../reconcile/drift.js';
import { writeMembers, type MemberRow } from '../rows/membersCsv.js';
import { readKeep } from '../rows/readKeep.js';
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

export interface ReconcileOptions extends RunOptions {
  label: string;
  keep: string;
  check: boolean;
  yes: boolean;
  out?: string | undefined;
}

/** `--check`: the drift in words (or as the `drift` event), and as JSON with --json; exit 4 when there is any. */
function reportDrift(report: DriftReport, json: boolean, io: Io): number {
  if (json) io.stdout.write(`${JSON.stringify(report)}\n`);
  const log = loggerFor(io);
  if (log.json) log.event('drift', report);
  else for (const line of driftLines(report)) log.say(line);
  return report.drift === 0 ? exitCodes.ok : exitCodes.drift;
}

interface Where {
  keepFile: string;
  out: string;
  planFile: string;
  resumeHint: string;
}

/** Checks the drift against the safety limit, then writes the planned removals (the rows of the run) before any write. */
async function planRemovals(drift: Drift, members: number, keep: ReadonlySet<string>, options: ReconcileOptions, name: string, where: Where): Promise<void> {
  const refusal = limitRefusal(drift, members, { file: where.keepFile, size: keep.size }, options.maxRemovals, name);
  if (refusal !== undefined) throw new ZdlabelsError('SAFETY_LIMIT', refusal);
  await writeMembers(where.planFile, drift.removals);
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
  const out = resolve(io.cwd, options.out ?? `reconcile-${options.label}.results.csv`);
  const where = { keepFile, out, planFile: artifactsFor(out).plan, resumeHint: resumeHintFor(options, out, `zdlabels reconcile --label ${options.label} --keep ${keepFile} --resume --yes --out ${out}`) };
  // Resuming works from the first run's plan: the label has changed since.
  const resume = options.resume && !options.check && existsSync(where.planFile);
  if (options.resume && !options.check && !resume) loggerFor(io).say(`resume: no plan at ${where.planFile} yet, so nothing was removed; starting from the beginning`);
  // Where it writes is checked before any call (--check writes nothing).
  if (resume) await checkOutputs(out, { resume: true, inputs: [keepFile, where.planFile], resumeHint: where.resumeHint });
  else if (!options.check) await checkOutputs(out, { resume: false, inputs: [keepFile], resumeHint: where.resumeHint, also: [{ path: where.planFile, option: '--out', what: 'the planned removals' }] });
  const client = clientFor(io, options);
  const label = await findLabel(client, options.label);
  const name = labelTitle(label);
  let members: MemberRow[] = [];
  if (!resume) {
    members = await labelMembers(client, options.label);
    const drift = driftOf(members, keep);
    if (options.check) return reportDrift(driftReport(label, members.length, keep.size, drift), options.json, io);
    await planRemovals(drift, members.length, keep, options, name, where);
  }
  const { exitCode } = await runFlow(
    {
      command: 'reconcile',
      action: 'remove',
      rows: await readPairs(where.planFile),
      out,
      options: { ...options, resume, maxRemovals: undefined },
      client,
      outputsChecked: true,
      rowsHeldAtStart: true,
      knownMembers: members.length > 0 ? new Map([[options.label, new Set(members.map((m) => m.userId))]]) : undefined,
      confirm: options.yes ? undefined : (_plan, pending) => confirm(io, `Remove ${pending} users who are not on the keep list from label ${name}?`),
      resumeHint: where.resumeHint,
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
