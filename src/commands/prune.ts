import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors/UsageError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { artifactsFor } from '../files/artifacts.js';
import { refuseLosingMembers } from '../files/snapshots.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { describeRules, resumeCommandLine, rulesOf, type PruneRules, type RuleOptions } from '../prune/rules.js';
import { limitProblem, selectionNotes, selectRemovals, type Selection } from '../prune/select.js';
import { writeMembers } from '../rows/membersCsv.js';
import { readKeep } from '../rows/readKeep.js';
import { readPairs } from '../rows/readPairs.js';
import { pickLabels } from '../resolve/pickLabels.js';
import { clientFor } from '../clientFor.js';
import { confirm } from '../run/confirm.js';
import { resumeHintFor, runFlow, type RunOptions } from '../run/flow.js';
import { checkOutputs } from '../run/prepare.js';
import type { ZohoClient } from '../zoho/client.js';
import type { Label } from '../zoho/types.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, runFlags, runOptionsFrom, validateRunOptions, withOptions } from './optionTable.js';

export interface PruneOptions extends RunOptions, RuleOptions {
  /** Label IDs or names. */
  labels: string[];
  allLabels: boolean;
  keep?: string | undefined;
  yes: boolean;
  out?: string | undefined;
}

/** Reads, applies the rules and the guard, then writes the snapshot (every member) and the plan (who goes), before any write. */
async function planRemovals(client: ZohoClient, labels: Label[], rules: PruneRules, keep: ReadonlySet<string>, options: PruneOptions, files: { snapshot: string; plan: string; resumeHint: string }, io: Io): Promise<Selection> {
  const selection = await selectRemovals(client, labels, rules, keep, options.concurrency);
  const log = loggerFor(io);
  if (selection.activity) log.say(`last activity: ${selection.activity}`);
  const refusal = limitProblem(selection, options.maxRemovals);
  if (refusal) throw new ZdlabelsError('SAFETY_LIMIT', refusal);
  const members = selection.labels.flatMap((l) => l.members);
  await refuseLosingMembers(files.snapshot, '--out', members, files.resumeHint);
  await writeMembers(files.snapshot, members);
  await writeMembers(files.plan, selection.labels.flatMap((l) => l.removals));
  const removals = selection.labels.reduce((n, l) => n + l.removals.length, 0);
  log.say(`snapshot: ${selection.labels.reduce((n, l) => n + l.members.length, 0)} memberships of ${labels.length} label(s) written to ${files.snapshot}; ${removals} to remove, listed in ${files.plan}`);
  return selection;
}

/**
 * `zdlabels prune`: takes labels away from the members who match the rules
 * (status, no activity since), never from anyone on the keep list; a snapshot
 * and the plan are written first, then the shared flow runs (results, journal,
 * --resume from the plan, restore, --verify, --dry-run, the prompt).
 */
export async function prune(options: PruneOptions, io: Io): Promise<number> {
  validateRunOptions(options);
  const rules = rulesOf(options, new Date());
  if (options.allLabels === (options.labels.length > 0)) throw new UsageError('Give --label (an ID or a name; repeat for several) or --all-labels, not both and not neither');
  const keepFile = options.keep === undefined ? undefined : resolve(io.cwd, options.keep);
  const keep = keepFile === undefined ? new Set<string>() : await readKeep(keepFile);
  const client = clientFor(io, options);
  const labels = await pickLabels(client, options.labels, options.allLabels, options.helpCenterId);
  const out = resolve(io.cwd, options.out ?? (labels.length === 1 && !options.allLabels ? `prune-${labels[0]!.id}.results.csv` : 'prune.results.csv'));
  const files = artifactsFor(out);
  const resumeHint = resumeHintFor(options, out, `${resumeCommandLine(options, rules, keepFile)} --resume --yes --out ${out}`);
  const inputs = keepFile === undefined ? [] : [keepFile];
  // Resuming works from the first run's plan: the members have changed since.
  const resume = options.resume && existsSync(files.plan);
  if (options.resume && !resume) loggerFor(io).say(`resume: no plan at ${files.plan} yet, so nothing was removed; starting from the beginning`);
  let selection: Selection | undefined;
  if (!resume) {
    const also = [{ path: files.snapshot, option: '--out', what: "the labels' members" }, { path: files.plan, option: '--out', what: 'the planned removals' }];
    await checkOutputs(out, { resume: false, inputs, resumeHint, also });
    selection = await planRemovals(client, labels, rules, keep, options, { ...files, resumeHint }, io);
  } else await checkOutputs(out, { resume: true, inputs: [...inputs, files.plan], resumeHint });
  const { exitCode } = await runFlow(
    {
      command: 'prune',
      action: 'remove',
      rows: await readPairs(files.plan),
      out,
      options: { ...options, resume, maxRemovals: undefined },
      client,
      outputsChecked: true,
      rowsHeldAtStart: true,
      readCredits: client.meter.spent,
      knownMembers: selection && new Map(selection.labels.map((l) => [l.label.id, new Set(l.members.map((m) => m.userId))])),
      confirm: options.yes ? undefined : (plan, pending) => confirm(io, `Remove ${pending} memberships (${describeRules(rules)}) from ${labels.length} label(s) in ${plan.batches.length} calls?`),
      resumeHint,
      notes: selection ? selectionNotes(selection, rules) : [],
    },
    io,
  );
  return exitCode;
}

export const pruneCommand = commandModule({
  command: 'prune',
  describe: 'Take labels away from the members who match rules (status, no activity since), with a snapshot first; never adds',
  builder: (y) =>
    withOptions(y, [...runFlags, 'all-labels', 'status', 'inactive-since', 'inactive-for', 'yes', 'verify'])
      .option('label', { ...optionTable.label, array: true, default: [] as string[], describe: 'Label ID or name (repeat for several)' })
      .option('help-center-id', { ...optionTable['help-center-id'], describe: 'With --all-labels or a label name: only this help center' })
      .option('keep', { ...optionTable.keep, describe: 'CSV with a user_id column: never remove these users' })
      .option('max-removals', { ...optionTable['max-removals'], describe: 'The most removals in all (default: no label loses more than half its members)' }),
  handler: (a) =>
    choose(a, (io) =>
      prune({ labels: a.label.map(String), allLabels: a.allLabels, status: a.status, inactiveSince: a.inactiveSince, inactiveFor: a.inactiveFor, keep: a.keep, yes: a.yes, out: a.out, ...runOptionsFrom(a) }, io),
    ),
});
