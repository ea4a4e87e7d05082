import type { Argv, Options } from 'yargs';
import { defaultKnobs, tooLargeAnswers, type EmulatorKnobs } from '../emulator/knobs.js';
import { loadSeed } from '../emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import { ConfigError } from '../errors/ConfigError.js';
import { UsageError } from '../errors/UsageError.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { isLoopback } from '../loopback.js';
import { choose, commandModule } from './commandModule.js';
import { numberOption, type NumberRule } from './optionValues.js';

interface EmulatorCommandOptions extends Partial<EmulatorKnobs> {
  seed?: string | undefined;
  host: string;
  port: number;
}

const count: NumberRule = { integer: false, min: 0 };
const probability: NumberRule = { integer: false, min: 0, max: 1, words: 'a probability from 0 to 1' };
const port: NumberRule = { integer: true, min: 0, max: 65535, words: 'an integer from 0 to 65535 (0: any free port)' };

/** A flag of a knob: a number checked by a rule, one of some values, or any text. */
type KnobFlag = { knob: keyof EmulatorKnobs; describe: string } & ({ rule: NumberRule } | { choices: readonly (string | number)[] } | { text: true });

/** The emulator's flags, each one of its knobs (src/emulator/knobs.ts, which holds their defaults). */
const knobFlags: Record<string, KnobFlag> = {
  latency: { knob: 'latencyMs', rule: count, describe: 'Milliseconds added to every API call' },
  'concurrency-limit': { knob: 'concurrencyLimit', rule: count, describe: 'Calls in flight above this answer 429 TOO_MANY_REQUESTS' },
  'daily-credits': { knob: 'dailyCredits', rule: count, describe: 'Credits a day (a get or write costs 1, a list 3 or more); past them 429 THRESHOLD_EXCEEDED' },
  'token-lifetime-calls': { knob: 'tokenLifetimeCalls', rule: count, describe: 'API calls one access token serves' },
  'token-lifetime-seconds': { knob: 'tokenLifetimeSeconds', rule: count, describe: 'Seconds one access token lives' },
  'max-ids': { knob: 'maxIdsPerCall', rule: count, describe: 'Most IDs one write call takes' },
  'error-rate': { knob: 'errorRate', rule: probability, describe: 'Probability of a 500 on a call' },
  'drop-rate': { knob: 'dropRate', rule: probability, describe: 'Probability of a dropped connection after a call is applied' },
  'fault-seed': { knob: 'faultSeed', rule: count, describe: 'Seed of the fault generator (same seed, same faults)' },
  'empty-page': { knob: 'emptyPage', choices: ['204', 'data'], describe: 'Past the end of a list: 204, or {"data":[]}' },
  'credits-used': { knob: 'creditsUsed', rule: count, describe: 'Credits already spent today (start a run with few left)' },
  'label-ids-in': { knob: 'labelIdsIn', choices: ['body', 'query'], describe: 'Where POST /users/{id}/labels/remove reads labelIds: JSON body, or query labelIds=1,2' },
  'errors-array': { knob: 'errorsArray', choices: ['with', 'without'], describe: 'Every 422: INVALID_DATA with an errors array, or UNPROCESSABLE_ENTITY with none' },
  'non-member': { knob: 'nonMember', choices: ['success', '404', '422'], describe: 'Removing a user who does not hold the label: skipped, 404, or 422' },
  'unknown-user-in-batch': { knob: 'unknownUserInBatch', choices: ['reject', 'ignore'], describe: 'An unknown user ID in a label call: refuse the whole call (422), or skip it' },
  'remove-scope': { knob: 'removeScope', choices: ['listed', 'all'], describe: 'all: a removal takes EVERY membership of the label (or user), not the listed ones' },
  'names-refused': { knob: 'namesRefused', choices: ['first', 'all'], describe: "A label call's 422 refusing several user IDs (errors array): names the first, or every one" },
  'org-mismatch-status': { knob: 'orgMismatchStatus', choices: [401, 403], describe: 'HTTP status of OAUTH_ORG_MISMATCH' },
  'scope-error': { knob: 'scopeError', choices: ['SCOPE_MISMATCH-401', 'INVALID_OAUTH-401', 'INVALID_OAUTH-403'], describe: 'How a call needing a scope the token lacks is refused' },
  'refresh-throttle-after': { knob: 'refreshThrottleAfter', rule: count, describe: 'Token refreshes within 10 minutes before HTTP 400 "Access Denied"' },
  'refresh-throttle-seconds': { knob: 'refreshThrottleSeconds', rule: count, describe: 'Seconds without token requests that lift the refresh throttle' },
  'refresh-throttle-locale': { knob: 'refreshThrottleLocale', choices: ['en', 'zh'], describe: "Language of the throttle's error" },
  'api-domain': { knob: 'apiDomain', text: true, describe: "The token answer's api_domain" },
  'credit-headers': { knob: 'creditHeaders', choices: ['send', 'omit'], describe: 'Whether API answers carry X-Rate-Limit-Remaining-v3 and X-Rate-Limit-Request-Weight-v3' },
  'refresh-refusal-status': { knob: 'refreshRefusalStatus', choices: [200, 400], describe: 'HTTP status of a refused refresh request ({"error":"invalid_code"} and the like)' },
  'invalid-token-body': { knob: 'invalidTokenBody', choices: ['json', 'empty'], describe: 'A dead or invalid access token: 401 INVALID_OAUTH, or a 401 with an empty body' },
  'too-large': { knob: 'tooLarge', choices: tooLargeAnswers, describe: 'How a write with more than --max-ids IDs is refused' },
};

/** A knob's flag for yargs: no yargs default (the knob's own applies when it is absent), shown in --help. */
function yargsOption(flag: string, k: KnobFlag): Options {
  const value = defaultKnobs[k.knob];
  const shown = value === Number.POSITIVE_INFINITY ? 'unlimited' : typeof value === 'string' ? JSON.stringify(value) : String(value);
  if ('rule' in k) return numberOption(flag, k.describe, k.rule, shown);
  const kind = 'choices' in k ? { choices: k.choices, type: typeof k.choices[0] === 'number' ? ('number' as const) : ('string' as const) } : { type: 'string' as const };
  return { ...kind, describe: k.describe, defaultDescription: shown };
}

/** Adds the knobs' flags. */
function withKnobFlags<T>(y: Argv<T>): Argv<T> {
  const options = Object.fromEntries(Object.entries(knobFlags).map(([flag, k]) => [flag, yargsOption(flag, k)]));
  // Declared from a table, so yargs cannot infer their types: knobsOf reads them by the same table.
  return y.options(options) as unknown as Argv<T>;
}

/** The knobs given on the command line. */
function knobsOf(parsed: object): Partial<EmulatorKnobs> {
  const argv = parsed as Record<string, unknown>;
  const given = Object.entries(knobFlags).filter(([flag]) => argv[flag] !== undefined);
  // Each value is of its knob's type: yargs held it to the flag's choices, numberValue to its rule.
  return Object.fromEntries(given.map(([flag, k]) => [k.knob, argv[flag]])) as Partial<EmulatorKnobs>;
}

function checkHost(host: string): void {
  if (!isLoopback(host)) {
    throw new UsageError(`--host ${host}: the emulator serves on loopback only (127.0.0.1, another 127.x.y.z, ::1 or localhost); its credentials are throwaway and its data is made up`);
  }
}

async function listen(options: EmulatorCommandOptions): Promise<RunningEmulator> {
  const { seed, host, port, ...knobs } = options;
  const seedValue = seed === undefined ? undefined : await loadSeed(seed);
  try {
    return await startEmulator({ ...knobs, host: host.replace(/^\[(.*)\]$/, '$1'), port, ...(seedValue ? { seed: seedValue } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const options = { cause: e };
    if (code === 'EADDRINUSE') throw new ConfigError('--port', `port ${port} is in use on ${host}; stop what holds it, or pick another port (--port 0 picks a free one)`, options);
    if (code === 'EACCES') throw new ConfigError('--port', `port ${port} on ${host} needs privileges this user lacks; pick a port above 1023 (--port 0 picks a free one)`, options);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError('--host', `${host} is not an address of this machine; use 127.0.0.1`, options);
    throw e;
  }
}

/** `zdlabels emulator`: serves until interrupted, after printing how to point zdlabels at it. */
async function serveEmulator(options: EmulatorCommandOptions, io: Io): Promise<number> {
  checkHost(options.host);
  const emulator = await listen(options);
  const s = emulator.state;
  io.stdout.write(
    [
      `Zoho Desk emulator listening on ${emulator.url}`,
      `  ${s.organizations.length} organization(s), ${s.helpCenters.length} help center(s), ${s.labels.size} label(s), ${s.users.size} user(s), ${s.pairCount()} label assignment(s)`,
      '',
      "Point zdlabels at it (these are the emulator's own throwaway credentials):",
      ...Object.entries(emulator.env).map(([k, v]) => `  export ${k}=${v}`),
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  await io.interrupted();
  await emulator.close();
  loggerFor(io).say(`emulator stopped after ${emulator.calls.length} API call(s)`);
  return 0;
}

export const emulatorCommand = commandModule({
  command: 'emulator',
  describe: 'Serve the built-in Zoho Desk emulator on loopback (for demos, tests and dry rehearsals)',
  builder: (y) =>
    withKnobFlags(
      y
        .option('port', numberOption('port', 'Port to listen on (0: any free port)', port, 0))
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Loopback address to listen on' })
        .option('seed', { type: 'string', describe: 'JSON file with organizations, help centers, labels, users and memberships' }),
    ),
  handler: (a) => choose(a, (io) => serveEmulator({ host: a.host, port: a.port ?? 0, seed: a.seed, ...knobsOf(a) }, io)),
});
