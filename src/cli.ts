import yargs, { type Argv } from 'yargs';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { emulatorCommand } from './commands/emulator.js';
import { exportCommand } from './commands/export.js';
import { pruneCommand } from './commands/prune.js';
import { reconcileCommand } from './commands/reconcile.js';
import { removeCommand } from './commands/remove.js';
import { restoreCommand } from './commands/restore.js';
import { retireLabelCommand } from './commands/retireLabel.js';
import { runJobCommand } from './commands/runJob.js';
import type { Job } from './jobs/job.js';
import { jobSchema } from './jobs/jobSchema.js';
import { SMALL_FOOTPRINT } from './probe/preflight.js';
import { CommandLineError } from './errors/CommandLineError.js';
import { numberOption, numberRules, runDefaults } from './commands/options.js';
import type { Io } from './io.js';
import type { RunOptions } from './run/flow.js';
import { toolVersion } from './version.js';

type Handler = () => Promise<number>;

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new CommandLineError(`Expected --${name} to be a number ≥ 0, got \`${String(value)}\``);
  }
  return value;
}

function rate(name: string, value: unknown): number {
  const v = nonNegative(name, value);
  if (v > 1) throw new CommandLineError(`Expected --${name} to be a probability from 0 to 1, got \`${v}\``);
  return v;
}

/** The options of every writing command (remove, retire-label, reconcile, restore). */
function withRunOptions<T>(y: Argv<T>) {
  return y
    .option('out', { type: 'string', describe: 'Results CSV' })
    .option('dry-run', { type: 'boolean', default: false, describe: describe.dryRun })
    .option('concurrency', numberOption('concurrency', describe.concurrency, numberRules.concurrency, runDefaults.concurrency))
    .option('batch-size', numberOption('batch-size', describe.batchSize, numberRules.batchSize, runDefaults.batchSize))
    .option('retries', numberOption('retries', describe.retries, numberRules.retries, runDefaults.retries))
    .option('resume', { type: 'boolean', default: false, describe: describe.resume })
    .option('timeout', timeoutOption)
    .option('verbose', { type: 'boolean', default: false, describe: describe.verbose })
    .option('json', { type: 'boolean', default: false, describe: describe.json })
    .option('guard', { type: 'boolean', default: true, describe: describe.guard })
    .option('reserve-credits', numberOption('reserve-credits', describe.reserveCredits, numberRules.reserveCredits))
    .option('max-calls', numberOption('max-calls', describe.maxCalls, numberRules.maxCalls))
    .option('retry-base-ms', { type: 'number', hidden: true, default: 500 });
}

interface RunArgs {
  'dry-run': boolean;
  concurrency?: number | undefined;
  'batch-size'?: number | undefined;
  retries?: number | undefined;
  resume: boolean;
  timeout?: number | undefined;
  verbose: boolean;
  json: boolean;
  'retry-base-ms': number;
  guard: boolean;
  'reserve-credits'?: number | undefined;
  'max-calls'?: number | undefined;
  by?: 'label' | 'user' | 'auto';
  verify?: boolean;
  'max-removals'?: number | undefined;
  'help-center-id'?: string | undefined;
}

function runOptions(a: RunArgs): RunOptions {
  return {
    by: a.by ?? 'auto',
    dryRun: a['dry-run'],
    concurrency: a.concurrency ?? runDefaults.concurrency,
    batchSize: a['batch-size'] ?? runDefaults.batchSize,
    retries: a.retries ?? runDefaults.retries,
    resume: a.resume,
    maxRemovals: a['max-removals'],
    helpCenterId: a['help-center-id'],
    verify: a.verify ?? false,
    verbose: a.verbose,
    json: a.json,
    timeoutMs: timeoutMs(a.timeout),
    retryBaseMs: a['retry-base-ms'],
    guard: a.guard,
    reserveCredits: a['reserve-credits'],
    maxCalls: a['max-calls'],
  };
}

/** Descriptions shared by the writing commands and `run`, which overrides a job with them. */
const describe = {
  concurrency: "Most calls in flight (Zoho's smallest plan allows 5)",
  batchSize: 'Most IDs per call',
  retries: 'Retries of a call that failed for a passing reason (5xx, network, 429)',
  resume: 'Continue the run that wrote --out: keep finished rows, send the rest',
  maxRemovals: 'Refuse (exit 5, nothing sent) a plan that removes more pairs than this',
  helpCenterId: 'Help center of the labels (sent with by-user removals)',
  yes: 'Do not ask (needed without a terminal)',
  verbose: 'One stderr line per call (secrets never shown)',
  json: 'Print the summary as one JSON object on stdout',
  dryRun: 'Plan and write the results as planned; send nothing',
  guard: 'Before the first removal, read the smallest target, send its batch alone and read it back; stop (exit 8) and put back anything Zoho removed unasked. --no-guard skips it',
  reserveCredits: "Stop (exit 6, the rest deferred) before the org's remaining API credits would fall below N, so other integrations keep working",
  maxCalls: 'Make at most N API calls in this run (exit 6 when reached, the rest deferred)',
} as const;

const timeoutOption = numberOption('timeout', 'Seconds to wait for one call (> 0)', numberRules.timeout, runDefaults.timeoutSeconds);
const timeoutMs = (seconds: number | undefined): number => (seconds ?? runDefaults.timeoutSeconds) * 1000;

const verifyOption = { type: 'boolean', default: false, describe: 'Read back what was changed and add a verified column (a "no" counts as not done)' } as const;
const byOption = { choices: ['label', 'user', 'auto'] as const, default: 'auto' as const, describe: 'Batch users per label, labels per user, or whichever makes fewer calls' };

/** Builds the command line. Handlers only collect options and pick the command to run. */
export function buildCli(argv: string[], io: Io, select: (h: Handler) => void): Argv {
  return yargs(argv)
    .scriptName('zdlabels')
    .usage('$0 <command> [options]\n\nRemove Zoho Desk Help Center users from labels in bulk, from a CSV file.\nNever deletes a label, never touches badges.')
    .command(
      'remove <input>',
      'Remove users from labels: one (user_id, label_id) pair per CSV row',
      (y) =>
        withRunOptions(y)
          .positional('input', { type: 'string', demandOption: true, describe: 'CSV with user_id and label_id columns' })
          .option('by', byOption)
          .option('max-removals', numberOption('max-removals', describe.maxRemovals, numberRules.maxRemovals))
          .option('help-center-id', { type: 'string', describe: describe.helpCenterId })
          .option('verify', verifyOption),
      (a) => select(() => removeCommand({ input: a.input, out: a.out, ...runOptions(a) }, io)),
    )
    .command(
      'export',
      'Write every member of labels as a CSV that remove takes (user_id,label_id,name,email,assigned_time)',
      (y) =>
        y
          .option('label', { type: 'string', array: true, default: [] as string[], describe: 'Label ID (repeat for several)' })
          .option('all-labels', { type: 'boolean', default: false, describe: "Every label (of --help-center-id, or of the org)" })
          .option('help-center-id', { type: 'string', describe: 'With --all-labels: only this help center' })
          .option('out', { type: 'string', describe: 'CSV file (default: stdout)' })
          .option('timeout', timeoutOption)
          .option('verbose', { type: 'boolean', default: false, describe: describe.verbose }),
      (a) =>
        select(() =>
          exportCommand({ labels: a.label.map(String), allLabels: a['all-labels'], helpCenterId: a['help-center-id'], out: a.out, verbose: a.verbose, timeoutMs: timeoutMs(a.timeout) }, io),
        ),
    )
    .command(
      'retire-label',
      'Snapshot a label\'s members, then remove all of them (the label itself is kept)',
      (y) =>
        withRunOptions(y)
          .option('label', { type: 'string', demandOption: true, describe: 'Label ID' })
          .option('yes', { type: 'boolean', default: false, describe: describe.yes })
          .option('snapshot', { type: 'string', describe: 'Members CSV written first (default: next to the results)' })
          .option('verify', verifyOption),
      (a) => select(() => retireLabelCommand({ label: a.label, yes: a.yes, out: a.out, snapshot: a.snapshot, ...runOptions(a) }, io)),
    )
    .command(
      'reconcile',
      'Remove members of a label who are not on a keep list (never adds); --check reports drift for CI',
      (y) =>
        withRunOptions(y)
          .option('label', { type: 'string', demandOption: true, describe: 'Label ID' })
          .option('keep', { type: 'string', demandOption: true, describe: 'CSV with a user_id column: who should hold the label' })
          .option('check', { type: 'boolean', default: false, describe: 'Write nothing; print the drift; exit 4 if there is any' })
          .option('yes', { type: 'boolean', default: false, describe: describe.yes })
          .option('max-removals', numberOption('max-removals', 'Refuse a plan removing more (default: half the members)', numberRules.maxRemovals))
          .option('verify', verifyOption),
      (a) => select(() => reconcileCommand({ label: a.label, keep: a.keep, check: a.check, yes: a.yes, out: a.out, ...runOptions(a) }, io)),
    )
    .command(
      'prune',
      'Take labels away from the members who match rules (status, no activity since), with a snapshot first; never adds',
      (y) =>
        withRunOptions(y)
          .option('label', { type: 'string', array: true, default: [] as string[], describe: 'Label ID or name (repeat for several)' })
          .option('all-labels', { type: 'boolean', default: false, describe: 'Every label (of --help-center-id, or of the org)' })
          .option('help-center-id', { type: 'string', describe: 'With --all-labels or a label name: only this help center' })
          .option('status', { type: 'string', array: true, describe: 'Remove members with this status: DISABLED,DELETED (ACTIVE too)' })
          .option('inactive-since', { type: 'string', describe: 'Remove members with no activity since this date (2025-07-01, UTC) or instant' })
          .option('inactive-for', { type: 'string', describe: 'Remove members with no activity for this long, e.g. 180d' })
          .option('keep', { type: 'string', describe: 'CSV with a user_id column: never remove these users' })
          .option('max-removals', { type: 'number', describe: 'The most removals in all (default: no label loses more than half its members)' })
          .option('yes', { type: 'boolean', default: false, describe: 'Do not ask (needed without a terminal)' })
          .option('verify', verifyOption),
      (a) =>
        select(() =>
          pruneCommand(
            { labels: a.label.map(String), allLabels: a['all-labels'], status: a.status?.map(String), inactiveSince: a['inactive-since'], inactiveFor: a['inactive-for'], keep: a.keep, yes: a.yes, out: a.out, ...runOptions(a) },
            io,
          ),
        ),
    )
    .command(
      'restore <results>',
      'Add back every pair an earlier results file marks removed',
      (y) => withRunOptions(y).positional('results', { type: 'string', demandOption: true, describe: 'Results CSV of remove, retire-label or reconcile' }),
      (a) => select(() => restoreCommand({ results: a.results, out: a.out, ...runOptions(a) }, io)),
    )
    .command(
      'run <job>',
      'Run a job file (JSON; see `zdlabels schema`) under its overlap lock; any option given here overrides the job',
      (y) =>
        y
          .positional('job', { type: 'string', demandOption: true, describe: 'Job file' })
          .option('input', { type: 'string', describe: "Overrides the job's input (remove: the pairs CSV; restore: the results file)" })
          .option('label', { type: 'string', describe: "Overrides the job's label ID (retire-label, reconcile)" })
          .option('keep', { type: 'string', describe: "Overrides the job's keep file (reconcile, prune)" })
          .option('status', { type: 'string', describe: 'prune: statuses, comma-separated (DISABLED,DELETED)' })
          .option('inactive-since', { type: 'string', describe: 'prune: no activity since this date' })
          .option('inactive-for', { type: 'string', describe: 'prune: no activity for this long (180d)' })
          .option('snapshot', { type: 'string', describe: "Overrides the job's snapshot file (retire-label)" })
          .option('out', { type: 'string', describe: 'Overrides the job\'s out (placeholders {job}, {date}, {time} work)' })
          .option('by', { choices: ['label', 'user', 'auto'] as const, describe: byOption.describe })
          .option('concurrency', numberOption('concurrency', describe.concurrency, numberRules.any))
          .option('batch-size', numberOption('batch-size', describe.batchSize, numberRules.any))
          .option('retries', numberOption('retries', describe.retries, numberRules.any))
          .option('dry-run', { type: 'boolean', describe: describe.dryRun })
          .option('verify', { type: 'boolean', describe: verifyOption.describe })
          .option('max-removals', numberOption('max-removals', describe.maxRemovals, numberRules.any))
          .option('help-center-id', { type: 'string', describe: describe.helpCenterId })
          .option('yes', { type: 'boolean', describe: describe.yes })
          .option('check', { type: 'boolean', describe: 'reconcile: write nothing; print the drift; exit 4 if there is any' })
          .option('resume', { type: 'boolean', describe: describe.resume })
          .option('timeout', numberOption('timeout', 'Seconds to wait for one call (> 0)', numberRules.any))
          .option('verbose', { type: 'boolean', describe: describe.verbose })
          .option('json', { type: 'boolean', describe: describe.json })
          .option('guard', { type: 'boolean', describe: describe.guard })
          .option('reserve-credits', numberOption('reserve-credits', describe.reserveCredits, numberRules.any))
          .option('max-calls', numberOption('max-calls', describe.maxCalls, numberRules.any))
          .option('retry-base-ms', { type: 'number', hidden: true }),
      (a) =>
        select(() =>
          runJobCommand(
            a.job,
            {
              input: a.input,
              label: a.label,
              keep: a.keep,
              status: a.status?.split(',').map((v) => v.trim().toUpperCase()) as Job['status'],
              inactiveSince: a['inactive-since'],
              inactiveFor: a['inactive-for'],
              snapshot: a.snapshot,
              out: a.out,
              by: a.by,
              concurrency: a.concurrency,
              batchSize: a['batch-size'],
              retries: a.retries,
              dryRun: a['dry-run'],
              verify: a.verify,
              maxRemovals: a['max-removals'],
              helpCenterId: a['help-center-id'],
              yes: a.yes,
              check: a.check,
              resume: a.resume,
              timeout: a.timeout,
              verbose: a.verbose,
              json: a.json,
              guard: a.guard,
              reserveCredits: a['reserve-credits'],
              maxCalls: a['max-calls'],
              retryBaseMs: a['retry-base-ms'],
            },
            io,
          ),
        ),
    )
    .command(
      'schema',
      'Print the JSON Schema of job files',
      (y) => y,
      () =>
        select(async () => {
          io.stdout.write(`${JSON.stringify(jobSchema, null, 2)}\n`);
          return 0;
        }),
    )
    .command(
      'doctor',
      'Check data centre, token refresh, org id and scopes; list help centers and labels. --probe: ask this org how it answers what the API spec leaves open',
      (y) =>
        y
          .option('timeout', timeoutOption)
          .option('probe', { type: 'boolean', default: false, describe: 'On a test label L and a user U who holds it: remove U and add it back through both endpoints, remove a non-member and an unknown ID, report what this org answered; L is left as found' })
          .option('label', { type: 'string', describe: 'With --probe: the test label' })
          .option('user', { type: 'string', describe: 'With --probe: a user who holds the test label' })
          .option('yes', { type: 'boolean', default: false, describe: `With --probe: probe a label with more than ${SMALL_FOOTPRINT} members (or a user with more than ${SMALL_FOOTPRINT} labels) anyway` })
          .option('json', { type: 'boolean', default: false, describe: 'With --probe: the report as one JSON object on stdout' }),
      (a) => select(() => doctorCommand({ timeoutMs: timeoutMs(a.timeout), probe: a.probe, label: a.label, user: a.user, yes: a.yes, json: a.json }, io)),
    )
    .command(
      'demo',
      'Run the demo job against the built-in emulator and check the result (no Zoho account needed)',
      (y) =>
        y
          .option('job', { type: 'string', describe: 'Remove job to run (default: jobs/demo.json)' })
          .option('seed', { type: 'string', describe: 'Emulator seed (default: fixtures/demo/seed.json)' }),
      (a) => select(() => demoCommand({ job: a.job, seed: a.seed }, io)),
    )
    .command(
      'emulator',
      'Serve the built-in Zoho Desk emulator on loopback (for demos, tests and dry rehearsals)',
      (y) =>
        y
          .option('port', { type: 'number', default: 0, describe: 'Port to listen on (0: any free port)' })
          .option('host', { type: 'string', default: '127.0.0.1', describe: 'Loopback address to listen on' })
          .option('seed', { type: 'string', describe: 'JSON file with organizations, help centers, labels, users and memberships' })
          .option('latency', { type: 'number', default: 0, describe: 'Milliseconds added to every API call' })
          .option('concurrency-limit', { type: 'number', default: 25, describe: 'Calls in flight above this answer 429 TOO_MANY_REQUESTS' })
          .option('daily-credits', { type: 'number', describe: 'Credits a day (a get or write costs 1, a list 3 or more); past them 429 THRESHOLD_EXCEEDED (default: unlimited)' })
          .option('token-lifetime-calls', { type: 'number', describe: 'API calls one access token serves (default: unlimited)' })
          .option('token-lifetime-seconds', { type: 'number', default: 3600, describe: 'Seconds one access token lives' })
          .option('max-ids', { type: 'number', describe: 'Most IDs one write call takes (default: unlimited)' })
          .option('error-rate', { type: 'number', default: 0, describe: 'Probability of a 500 on a call' })
          .option('drop-rate', { type: 'number', default: 0, describe: 'Probability of a dropped connection after a call is applied' })
          .option('fault-seed', { type: 'number', default: 1, describe: 'Seed of the fault generator (same seed, same faults)' })
          .option('empty-page', { choices: ['204', 'data'] as const, default: '204' as const, describe: 'Past the end of a list: 204, or {"data":[]}' })
          .option('credits-used', { type: 'number', default: 0, describe: 'Credits already spent today (start a run with few left)' })
          .option('label-ids-in', { type: 'string', choices: ['body', 'query'] as const, default: 'body' as const, describe: 'Where POST /users/{id}/labels/remove reads labelIds: JSON body, or query labelIds=1,2' })
          .option('errors-array', { type: 'string', choices: ['with', 'without'] as const, default: 'with' as const, describe: 'Every 422: INVALID_DATA with an errors array, or UNPROCESSABLE_ENTITY with none' })
          .option('non-member', { type: 'string', choices: ['success', '404', '422'] as const, default: 'success' as const, describe: 'Removing a user who does not hold the label: skipped, 404, or 422' })
          .option('unknown-user-in-batch', { type: 'string', choices: ['reject', 'ignore'] as const, default: 'reject' as const, describe: 'An unknown user ID in a label call: refuse the whole call (422), or skip it' })
          .option('remove-scope', { type: 'string', choices: ['listed', 'all'] as const, default: 'listed' as const, describe: 'all: a removal takes EVERY membership of the label (or user), not the listed ones' })
          .option('org-mismatch-status', { type: 'number', choices: [401, 403] as const, default: 401 as const, describe: 'HTTP status of OAUTH_ORG_MISMATCH' })
          .option('scope-error', { type: 'string', choices: ['SCOPE_MISMATCH-401', 'INVALID_OAUTH-401', 'INVALID_OAUTH-403'] as const, default: 'SCOPE_MISMATCH-401' as const, describe: 'How a call needing a scope the token lacks is refused' })
          .option('refresh-throttle-after', { type: 'number', describe: 'Token refreshes within 10 minutes before HTTP 400 "Access Denied" (default: unlimited)' })
          .option('refresh-throttle-seconds', { type: 'number', default: 900, describe: 'Seconds without token requests that lift the refresh throttle' })
          .option('refresh-throttle-locale', { type: 'string', choices: ['en', 'zh'] as const, default: 'en' as const, describe: "Language of the throttle's error" })
          .option('api-domain', { type: 'string', default: 'https://www.zohoapis.com', describe: "The token answer's api_domain" }),
      (a) =>
        select(() =>
          emulatorCommand(
            {
              host: a.host,
              port: nonNegative('port', a.port),
              seed: a.seed,
              latencyMs: nonNegative('latency', a.latency),
              concurrencyLimit: nonNegative('concurrency-limit', a['concurrency-limit']),
              ...(a['daily-credits'] === undefined ? {} : { dailyCredits: nonNegative('daily-credits', a['daily-credits']) }),
              ...(a['token-lifetime-calls'] === undefined ? {} : { tokenLifetimeCalls: nonNegative('token-lifetime-calls', a['token-lifetime-calls']) }),
              tokenLifetimeSeconds: nonNegative('token-lifetime-seconds', a['token-lifetime-seconds']),
              ...(a['max-ids'] === undefined ? {} : { maxIdsPerCall: nonNegative('max-ids', a['max-ids']) }),
              errorRate: rate('error-rate', a['error-rate']),
              dropRate: rate('drop-rate', a['drop-rate']),
              faultSeed: nonNegative('fault-seed', a['fault-seed']),
              emptyPage: a['empty-page'],
              creditsUsed: nonNegative('credits-used', a['credits-used']),
              labelIdsIn: a['label-ids-in'],
              errorsArray: a['errors-array'],
              nonMember: a['non-member'],
              unknownUserInBatch: a['unknown-user-in-batch'],
              removeScope: a['remove-scope'],
              orgMismatchStatus: a['org-mismatch-status'],
              scopeError: a['scope-error'],
              ...(a['refresh-throttle-after'] === undefined ? {} : { refreshThrottleAfter: nonNegative('refresh-throttle-after', a['refresh-throttle-after']) }),
              refreshThrottleSeconds: nonNegative('refresh-throttle-seconds', a['refresh-throttle-seconds']),
              refreshThrottleLocale: a['refresh-throttle-locale'],
              apiDomain: a['api-domain'],
            },
            io,
          ),
        ),
    )
    .option('log-format', { choices: ['text', 'json'] as const, default: 'text' as const, global: true, describe: 'text for people; json: one object per event on stderr' })
    .middleware((a) => {
      io.logFormat = a['log-format'];
    })
    .demandCommand(1, 'Name a command; `zdlabels --help` lists them.')
    .strict()
    .help()
    .version(toolVersion)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((msg: string | undefined, err: Error | undefined) => {
      // yargs rethrows an option's coerce error as a YError with the same message: still a bad command line.
      if (err?.name === 'YError') throw new CommandLineError(err.message);
      if (err) throw err;
      throw new CommandLineError(msg ?? 'bad usage');
    });
}
