// A run's first step: its outputs checked, what an earlier run finished taken
// from the journal, and the plan of what is left.
import { existsSync, statSync } from 'node:fs';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { InputError } from '../errors/InputError.js';
import { artifactsFor, checkWritable, refuseOverwriting, refuseReplacingRecords, refuseSharedOutputs } from '../files/artifacts.js';
import type { Logger } from '../log.js';
import { planBatches, type Plan } from '../plan/plan.js';
import { readJournal } from '../rows/journal.js';
import type { OutcomeStore } from '../rows/outcomes.js';
import type { RowSource } from '../rows/readPairs.js';
import { finalStatuses } from '../rows/types.js';
import type { FlowSpec } from './flow.js';

/**
 * Checks every file a run will write before anything is sent or written: none
 * is a folder or unwritable, none is an input (through a link too), and a
 * fresh run does not replace an earlier run's records. Commands that write a
 * snapshot or plan first call it before that.
 */
export async function checkOutputs(out: string, options: { resume: boolean; inputs: readonly string[]; resumeHint: string; also?: { path: string; option: string; what: string }[] }): Promise<void> {
  const a = artifactsFor(out);
  const files = [
    { path: a.results, option: '--out', what: 'the results' },
    { path: a.journal, option: '--out', what: 'the journal' },
    { path: a.manifest, option: '--out', what: 'the manifest' },
    ...(options.also ?? []),
  ];
  for (const f of files) await checkWritable(f.path, f.option);
  for (const f of files) await refuseOverwriting(f.path, f.option, options.inputs);
  await refuseSharedOutputs(files);
  // The results and the journal record writes (a snapshot is checked against the members read: snapshots.ts); a plan is derived again.
  if (!options.resume) await refuseReplacingRecords(files.slice(0, 2), options.resumeHint);
}

/** Resumes from the journal: keeps what an earlier run finished. No journal yet: nothing was sent; start afresh. */
async function resumeFrom(journalPath: string, rows: RowSource, log: Logger): Promise<boolean> {
  if (!existsSync(journalPath) || statSync(journalPath).size === 0) {
    log.say(`resume: no journal at ${journalPath} yet, so nothing was recorded; starting from the beginning (removing is idempotent)`);
    return false;
  }
  const { table, outcomes, source } = rows;
  const started = performance.now();
  let entries = 0;
  const { header, skipped } = await readJournal(journalPath, (entry) => {
    entries += 1;
    if (!finalStatuses.has(entry.status)) return;
    const inRange = entry.rows.filter((r) => r < table.size);
    outcomes.setMany(inRange, entry.status, entry);
  });
  log.event('resume', { journal: journalPath, entries, skipped, ms: Math.round(performance.now() - started) });
  if (header.sha256 !== source.sha256 || header.rows !== table.size) {
    throw new InputError(journalPath, 1, `this journal was written for another version of the input (${header.input}); run without --resume and with another --out, or give the --out of the run to resume`);
  }
  if (skipped > 0) log.say(`resume: skipped ${skipped} torn line(s) of ${journalPath}`);
  return true;
}

/** How many distinct keys the rows name (keys are interned numbers below `count`). */
function distinct(rows: Uint32Array, keyOf: Int32Array, count: number): number {
  const seen = new Uint8Array(count);
  let n = 0;
  for (const r of rows) {
    const k = keyOf[r]!;
    if (seen[k] === 0) {
      seen[k] = 1;
      n += 1;
    }
  }
  return n;
}

/** Rows still to send: valid and not finished. */
function pendingRows(outcomes: OutcomeStore): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < outcomes.size; i += 1) if (outcomes.status(i) === undefined) out.push(i);
  return Uint32Array.from(out);
}

/** What a run starts from: whether it resumes, the rows left, their plan, and how many labels and users they touch. */
export interface Prepared {
  resumed: boolean;
  pending: Uint32Array;
  plan: Plan;
  labels: number;
  users: number;
}

/** Checks the outputs, resumes from the journal, plans what is left, and applies --max-removals (before any write). */
export async function prepare(spec: FlowSpec, resumeHint: string, log: Logger): Promise<Prepared> {
  const { options, rows } = spec;
  if (!spec.outputsChecked) await checkOutputs(spec.out, { resume: options.resume, inputs: [rows.source.path], resumeHint });
  const resumed = options.resume && (await resumeFrom(artifactsFor(spec.out).journal, rows, log));
  const pending = pendingRows(rows.outcomes);
  const pairs = { user: rows.table.user, label: rows.table.label, userCount: rows.table.users.size, labelCount: rows.table.labels.size };
  const plan = planBatches(pending, pairs, spec.action === 'add' ? 'label' : options.by, options.batchSize);
  if (spec.action === 'remove' && options.maxRemovals !== undefined && pending.length > options.maxRemovals) {
    throw new ZdlabelsError('SAFETY_LIMIT', `the plan removes ${pending.length} pairs, more than --max-removals ${options.maxRemovals}; nothing was sent. Check the input, or raise --max-removals if this is intended.`);
  }
  return { resumed, pending, plan, labels: distinct(pending, rows.table.label, rows.table.labels.size), users: distinct(pending, rows.table.user, rows.table.users.size) };
}
