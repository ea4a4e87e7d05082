// The options of the command line, declared once: each command takes the ones
// it uses from this table (and may word one for itself), `zdlabels run` takes
// the same definitions as overrides of a job, and runOptionsFrom applies the
// defaults once, whether the values came from the command line or a job.
import type { Argv, Options } from 'yargs';
import { CommandLineError } from '../errors/CommandLineError.js';
import { jobSchema } from '../jobs/jobSchema.js';
import type { RunOptions } from '../run/flow.js';
import { defaultTimeoutMs } from '../zoho/config.js';
import { checkId, numberOption, numberValue, type NumberRule } from './optionValues.js';

/** What a run does when neither the command line nor a job says. */
const runDefaults = {
  by: 'auto',
  dryRun: false,
  concurrency: 5,
  batchSize: 50,
  retries: 5,
  resume: false,
  verify: false,
  verbose: false,
  json: false,
  guard: true,
  timeout: defaultTimeoutMs / 1000,
} as const;

/** A numeric key's range as the job schema states it: the command line checks the same. */
function ruleOf(key: { type: 'integer' | 'number'; minimum?: number; exclusiveMinimum?: number; maximum?: number }): NumberRule {
  const min = key.minimum ?? key.exclusiveMinimum ?? Number.NEGATIVE_INFINITY;
  return { integer: key.type === 'integer', min, above: key.exclusiveMinimum !== undefined, ...(key.maximum === undefined ? {} : { max: key.maximum }) };
}

const keys = jobSchema.properties;
const rules = {
  concurrency: ruleOf(keys.concurrency),
  batchSize: ruleOf(keys.batchSize),
  retries: ruleOf(keys.retries),
  maxRemovals: ruleOf(keys.maxRemovals),
  reserveCredits: ruleOf(keys.reserveCredits),
  maxCalls: ruleOf(keys.maxCalls),
  timeout: ruleOf(keys.timeout),
};

/** `run`: an override must be there and be a number; its range is the job schema's, checked with the job's own keys. */
const anyNumber: NumberRule = { integer: false, min: Number.NEGATIVE_INFINITY };

const statuses = (values: string[]): string[] => values.flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase());

export const optionTable = {
  input: { type: 'string', describe: 'remove: the pairs CSV; restore: the results file' },
  out: { type: 'string', describe: 'Results CSV' },
  'dry-run': { type: 'boolean', default: runDefaults.dryRun, describe: 'Plan and write the results as planned; send nothing' },
  by: { choices: ['label', 'user', 'auto'], default: runDefaults.by, describe: 'Batch users per label, labels per user, or whichever makes fewer calls' },
  concurrency: numberOption('concurrency', "Most calls in flight; below it, the org's own limit is learned from its 429 answers", rules.concurrency, runDefaults.concurrency),
  'batch-size': numberOption('batch-size', 'Most IDs per call', rules.batchSize, runDefaults.batchSize),
  retries: numberOption('retries', `Retries of a call that failed for a passing reason (5xx, network, 429); 0 to ${rules.retries.max}`, rules.retries, runDefaults.retries),
  resume: { type: 'boolean', default: runDefaults.resume, describe: 'Continue the run that wrote --out: keep finished rows, send the rest' },
  timeout: numberOption('timeout', 'Seconds to wait for one call (> 0)', rules.timeout, runDefaults.timeout),
  verbose: { type: 'boolean', default: runDefaults.verbose, describe: 'One stderr line per call (secrets never shown)' },
  json: { type: 'boolean', default: runDefaults.json, describe: 'Print the summary as one JSON object on stdout' },
  guard: {
    type: 'boolean',
    default: runDefaults.guard,
    describe: 'Before the first removal, read the smallest target, send its batch alone and read it back; stop (exit 8) and put back anything Zoho removed unasked. --no-guard skips it',
  },
  'reserve-credits': numberOption(
    'reserve-credits',
    "Stop (exit 6, the rest deferred) before the org's remaining API credits would fall below N, so other integrations keep working",
    rules.reserveCredits,
  ),
  'max-calls': numberOption('max-calls', 'Make at most N API calls in this run (exit 6 when reached, the rest deferred)', rules.maxCalls),
  'retry-base-ms': { type: 'number', hidden: true, describe: 'First retry delay in ms (for tests)' },
  'max-removals': numberOption('max-removals', 'Refuse (exit 5, nothing sent) a plan that removes more pairs than this', rules.maxRemovals),
  'help-center-id': { type: 'string', describe: 'Help center of the labels (sent with by-user removals)' },
  verify: { type: 'boolean', default: runDefaults.verify, describe: 'Read back what was changed and add a verified column (a "no" counts as not done)' },
  'check-members': {
    type: 'boolean',
    default: false,
    describe: "Read each label's members first (3 credits per 50): a row whose user is not one ends not_member, unsent; so removed means held, and restore puts back exactly that",
  },
  yes: { type: 'boolean', default: false, describe: 'Do not ask (needed without a terminal)' },
  label: { type: 'string', describe: 'Label ID' },
  'all-labels': { type: 'boolean', default: false, describe: 'Every label (of --help-center-id, or of the org)' },
  keep: { type: 'string', describe: 'CSV with a user_id column: who should hold the label (reconcile), who is never removed (prune)' },
  check: { type: 'boolean', default: false, describe: 'Write nothing; print the drift; exit 4 if there is any' },
  snapshot: { type: 'string', describe: 'Members CSV written first (default: next to the results)' },
  status: { type: 'string', array: true, coerce: statuses, describe: 'Remove members with this status: DISABLED,DELETED (ACTIVE too)' },
  'inactive-since': { type: 'string', describe: 'Remove members with no activity since this date (2025-07-01, UTC) or instant' },
  'inactive-for': { type: 'string', describe: 'Remove members with no activity for this long, e.g. 180d' },
} as const satisfies Record<string, Options>;

type Table = typeof optionTable;
type Flag = keyof Table;

/** The table's options of every writing command (remove, retire-label, reconcile, prune, restore). */
export const runFlags = [
  'out',
  'dry-run',
  'concurrency',
  'batch-size',
  'retries',
  'resume',
  'timeout',
  'verbose',
  'json',
  'guard',
  'reserve-credits',
  'max-calls',
  'retry-base-ms',
] as const satisfies readonly Flag[];

/** The job keys `zdlabels run` can override from the command line. */
const overrideFlags = [
  'input',
  'label',
  'keep',
  'status',
  'inactive-since',
  'inactive-for',
  'snapshot',
  'out',
  'by',
  'concurrency',
  'batch-size',
  'retries',
  'dry-run',
  'verify',
  'check-members',
  'max-removals',
  'help-center-id',
  'yes',
  'check',
  'timeout',
  'guard',
  'reserve-credits',
  'max-calls',
] as const satisfies readonly Flag[];

/** Adds the named options of the table to a command, as they are there. */
export function withOptions<T, F extends Flag>(y: Argv<T>, flags: readonly F[]) {
  return y.options(Object.fromEntries(flags.map((f) => [f, optionTable[f]])) as Pick<Table, F>);
}

/** A flag's job key: `batch-size` → `batchSize`. */
const jobKey = (flag: string): string => flag.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

/**
 * Adds the options `zdlabels run` overrides a job's keys with: the same
 * definitions, without defaults (the job's value stands unless one is given),
 * numbers only checked to be numbers (the job schema checks their range, with
 * the job's other keys).
 */
export function withOverrides<T>(y: Argv<T>): Argv<T> {
  const overrides = overrideFlags.map((flag): [string, Options] => {
    const { default: _ignored, defaultDescription: _shown, ...spec } = optionTable[flag] as Options;
    const coerce = 'coerce' in spec && spec.type === undefined ? { coerce: (raw: unknown) => numberValue(flag, raw, anyNumber) } : {};
    return [flag, { ...spec, ...coerce }];
  });
  // Declared from a list, so yargs cannot infer their types: overridesOf hands them to the job schema as they are.
  return y.options(Object.fromEntries(overrides)) as unknown as Argv<T>;
}

/** The job keys given on the command line, with their values. */
export function overridesOf(parsed: object): Record<string, unknown> {
  const argv = parsed as Record<string, unknown>;
  return Object.fromEntries(overrideFlags.filter((flag) => argv[flag] !== undefined).map((flag) => [jobKey(flag), argv[flag]]));
}

/** The run options as values arrive from the command line or a job (camelCase, as in job files, the timeout in seconds); absent ones take the defaults. */
export type RunValues = Partial<Omit<RunOptions, 'timeoutMs' | 'envNames' | 'job' | 'jobFile'>> & { timeout?: number | undefined };

/** A call's timeout in ms, from --timeout in seconds (its default when absent). */
export const timeoutMsOf = (seconds: number | undefined): number => (seconds ?? runDefaults.timeout) * 1000;

/** The defaults merged once. */
export function runOptionsFrom(v: RunValues): RunOptions {
  const d = runDefaults;
  return {
    by: v.by ?? d.by,
    dryRun: v.dryRun ?? d.dryRun,
    concurrency: v.concurrency ?? d.concurrency,
    batchSize: v.batchSize ?? d.batchSize,
    retries: v.retries ?? d.retries,
    resume: v.resume ?? d.resume,
    maxRemovals: v.maxRemovals,
    helpCenterId: v.helpCenterId,
    verify: v.verify ?? d.verify,
    verbose: v.verbose ?? d.verbose,
    json: v.json ?? d.json,
    timeoutMs: timeoutMsOf(v.timeout),
    retryBaseMs: v.retryBaseMs,
    guard: v.guard ?? d.guard,
    reserveCredits: v.reserveCredits,
    maxCalls: v.maxCalls,
  };
}

/** Checks the shared run options before anything is read or sent, by the table's rules, whoever gave them (a caller, a job). */
export function validateRunOptions(o: RunOptions): void {
  numberValue('concurrency', o.concurrency, rules.concurrency);
  numberValue('batch-size', o.batchSize, rules.batchSize);
  numberValue('retries', o.retries, rules.retries);
  if (o.maxRemovals !== undefined) numberValue('max-removals', o.maxRemovals, rules.maxRemovals);
  if (o.reserveCredits !== undefined) numberValue('reserve-credits', o.reserveCredits, rules.reserveCredits);
  if (o.maxCalls !== undefined) numberValue('max-calls', o.maxCalls, rules.maxCalls);
  if (o.helpCenterId !== undefined) checkId('help-center-id', o.helpCenterId);
  if (o.dryRun && o.resume) throw new CommandLineError('--dry-run and --resume do not go together: a dry run sends nothing to resume');
}
