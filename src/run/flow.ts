import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import type { Grouping, Plan } from '../plan/plan.js';
import type { RowSource } from '../rows/readPairs.js';
import { writeResults } from '../rows/results.js';
import type { ZohoClient } from '../zoho/client.js';
import type { EnvNames } from '../zoho/config.js';
import { runLive, type LiveRun } from './live.js';
import { prepare } from './prepare.js';
import { report, summarize } from './report.js';
import type { RunSummary } from './summary.js';


/** The options every writing command shares (camelCase, as in job files). */
export interface RunOptions {
  by: Grouping;
  dryRun: boolean;
  concurrency: number;
  batchSize: number;
  retries: number;
  resume: boolean;
  maxRemovals?: number | undefined;
  helpCenterId?: string | undefined;
  verify: boolean;
  verbose: boolean;
  json: boolean;
  /** Read before and after the first write, and stop if Zoho removed more than asked (--no-guard turns it off). */
  guard: boolean;
  reserveCredits?: number | undefined;
  maxCalls?: number | undefined;
  timeoutMs?: number | undefined;
  retryBaseMs?: number | undefined;
  /** Where the credentials are when not the default ZOHO_* names (job files). */
  envNames?: Partial<EnvNames> | undefined;
  /** The job's name and file, when run from a job file (the resume hint then resumes the job). */
  job?: string | undefined;
  jobFile?: string | undefined;
}

export interface FlowSpec {
  command: string;
  action: 'remove' | 'add';
  rows: RowSource;
  /** The results file. */
  out: string;
  options: RunOptions;
  /** Asked after planning, before the first write; false refuses (exit 5). */
  confirm?: ((plan: Plan, pending: number) => Promise<boolean>) | undefined;
  /** The command line that resumes this run (a job's own is used when run from a job). */
  resumeHint: string;
  /** Lines printed after the summary. */
  notes?: string[] | undefined;
  /** The client to use (commands that read before writing share theirs). */
  client?: ZohoClient | undefined;
  /** The command already checked the outputs (it wrote a snapshot or plan first). */
  outputsChecked?: boolean | undefined;
  /** A label's members the command has just read (the first-write guard then need not read them). */
  knownMembers?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  /** Every row is a pair that was held when the run began (read from member lists): evidence for a removal whose answer was lost. */
  rowsHeldAtStart?: boolean | undefined;
  /** Reads the command made before the flow (looking up names and emails, reading members), in credits: part of the plan's estimate. */
  readCredits?: number | undefined;
}

export interface FlowResult {
  exitCode: number;
  summary: RunSummary;
}

/** The command that resumes a run: the job's when run from a job file. */
export const resumeHintFor = (options: Pick<RunOptions, 'jobFile'>, out: string, own: string): string =>
  options.jobFile ? `zdlabels run ${options.jobFile} --resume --out ${out}` : own;

/**
 * The flow every writing command shares: rows → plan → run → journal →
 * results → summary and exit code. Commands differ only in where rows come from.
 */
export async function runFlow(spec: FlowSpec, io: Io): Promise<FlowResult> {
  const log = loggerFor(io, spec.options.verbose);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const resumeHint = resumeHintFor(spec.options, spec.out, spec.resumeHint);
  const prep = await prepare(spec, resumeHint, log);
  let live: LiveRun | undefined;
  if (spec.options.dryRun) for (const b of prep.plan.batches) spec.rows.outcomes.setMany(b.rows, 'planned', { batch: b.id });
  else live = await runLive(spec, prep.plan, prep.pending.length, prep.resumed, startedAt, io, log);
  await writeResults(spec.out, spec.rows.table, spec.rows.outcomes, { verify: spec.options.verify, extra: spec.rows.extra });
  const summary = summarize(spec, prep, live, performance.now() - started);
  await report(spec, summary, live, startedAt, resumeHint, io, log);
  return { exitCode: summary.exitCode, summary };
}
