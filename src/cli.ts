import yargs, { type Argv } from 'yargs';
import { demoCommand } from './commands/demo.js';
import { emulatorCommand } from './commands/emulator.js';
import { removeCommand } from './commands/remove.js';
import { UsageError } from './errors/UsageError.js';
import type { Io } from './io.js';

type Handler = () => Promise<number>;

function nonNegative(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new UsageError(`Expected --${name} to be a number ≥ 0, got \`${String(value)}\``);
  }
  return value;
}

function rate(name: string, value: unknown): number {
  const v = nonNegative(name, value);
  if (v > 1) throw new UsageError(`Expected --${name} to be a probability from 0 to 1, got \`${v}\``);
  return v;
}

/** Builds the command line. Handlers only collect options and pick the command to run. */
export function buildCli(argv: string[], io: Io, select: (h: Handler) => void): Argv {
  return yargs(argv)
    .scriptName('zdlabels')
    .usage('$0 <command> [options]\n\nRemove Zoho Desk Help Center users from labels in bulk, from a CSV file.')
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
          .option('daily-credits', { type: 'number', describe: 'API calls allowed before 429 THRESHOLD_EXCEEDED (default: unlimited)' })
          .option('token-lifetime-calls', { type: 'number', describe: 'API calls one access token serves (default: unlimited)' })
          .option('token-lifetime-seconds', { type: 'number', default: 3600, describe: 'Seconds one access token lives' })
          .option('max-ids', { type: 'number', describe: 'Most IDs one write call takes (default: unlimited)' })
          .option('error-rate', { type: 'number', default: 0, describe: 'Probability of a 500 on a call' })
          .option('drop-rate', { type: 'number', default: 0, describe: 'Probability of a dropped connection after a call is applied' })
          .option('fault-seed', { type: 'number', default: 1, describe: 'Seed of the fault generator (same seed, same faults)' })
          .option('empty-page', { choices: ['204', 'data'] as const, default: '204' as const, describe: 'Past the end of a list: 204, or {"data":[]}' }),
      (a) => {
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
            },
            io,
          ),
        );
      },
    )
    .command(
      'demo',
      'Run the demo job against the built-in emulator and check the result (no Zoho account needed)',
      (y) =>
        y
          .option('job', { type: 'string', describe: 'Remove job to run (default: jobs/demo.json)' })
          .option('seed', { type: 'string', describe: 'Emulator seed (default: fixtures/demo/seed.json)' }),
      (a) => {
        select(() => demoCommand({ job: a.job, seed: a.seed }, io));
      },
    )
    .command(
      'remove <input>',
      'Remove users from labels: one (user_id, label_id) pair per CSV row',
      (y) =>
        y
          .positional('input', { type: 'string', demandOption: true, describe: 'CSV with user_id and label_id columns' })
          .option('out', { type: 'string', describe: 'Results CSV (default: <input>.results.csv)' })
          .option('by', { choices: ['label', 'user', 'auto'] as const, default: 'auto' as const, describe: 'Batch users per label, labels per user, or whichever makes fewer calls' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'Plan and write the results as planned; send nothing' })
          .option('concurrency', { type: 'number', default: 5, describe: "Most calls in flight (Zoho's smallest plan allows 5)" })
          .option('batch-size', { type: 'number', default: 50, describe: 'Most IDs per call' })
          .option('retries', { type: 'number', default: 5, describe: 'Retries of a call that failed for a passing reason (5xx, network, 429)' })
          .option('resume', { type: 'boolean', default: false, describe: 'Continue the run that wrote --out: keep finished rows, send the rest' })
          .option('max-removals', { type: 'number', describe: 'Refuse (exit 5, nothing sent) a plan that removes more pairs than this' })
          .option('help-center-id', { type: 'string', describe: 'Help center of the labels (sent with by-user removals)' })
          .option('timeout', { type: 'number', default: 30, describe: 'Seconds to wait for one call' })
          .option('verbose', { type: 'boolean', default: false, describe: 'One stderr line per call (secrets never shown)' })
          .option('json', { type: 'boolean', default: false, describe: 'Print the summary as one JSON object on stdout' })
          .option('retry-base-ms', { type: 'number', hidden: true, default: 500 }),
      (a) => {
        select(() =>
          removeCommand(
            {
              input: a.input,
              out: a.out,
              by: a.by,
              dryRun: a['dry-run'],
              concurrency: a.concurrency,
              batchSize: a['batch-size'],
              retries: a.retries,
              resume: a.resume,
              maxRemovals: a['max-removals'],
              helpCenterId: a['help-center-id'],
              verbose: a.verbose,
              json: a.json,
              timeoutMs: nonNegative('timeout', a.timeout) * 1000 || undefined,
              retryBaseMs: a['retry-base-ms'],
            },
            io,
          ),
        );
      },
    )
    .demandCommand(1, 'Name a command; `zdlabels --help` lists them.')
    .strict()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((msg: string | undefined, err: Error | undefined) => {
      if (err) throw err;
      throw new UsageError(msg ?? 'bad usage');
    });
}
