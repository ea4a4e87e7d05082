import { checkOrganization, checkToken, listHelpCenters, readSettings, type Finding, type Problem } from '../doctor/checks.js';
import { UsageError } from '../errors/UsageError.js';
import { exitCodeFor, exitCodes } from '../exitCodes.js';
import type { Io } from '../io.js';
import { colours } from '../log.js';
import { SMALL_FOOTPRINT } from '../probe/preflight.js';
import { runProbe, type ProbeOptions } from '../probe/probe.js';
import { reportJson, reportLines } from '../probe/report.js';
import { ZohoClient, type CallEvent } from '../zoho/client.js';
import { configFromEnv, urlsOverridden, type EnvNames } from '../zoho/config.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, timeoutMsOf, withOptions } from './optionTable.js';
import { checkId } from './optionValues.js';

interface DoctorOptions {
  envNames?: Partial<EnvNames> | undefined;
  timeoutMs?: number | undefined;
  /** `--probe`, with its `--label`, `--user`, `--yes` and `--json`. */
  probe?: boolean | undefined;
  label?: string | undefined;
  user?: string | undefined;
  yes?: boolean | undefined;
  json?: boolean | undefined;
}

/**
 * `zdlabels doctor`: checks the setup before a real run (data centre and URLs,
 * token refresh, org id, read scopes) and lists help centers and labels.
 * Exit 0 when healthy; else the exit code of the first problem found (2 for a
 * setting missing or malformed, 3 for a refusal).
 */
async function doctor(options: DoctorOptions, io: Io): Promise<number> {
  const probe = probeTarget(options);
  if (probe) return probeCommand(probe, options, io);
  const c = colours(io.stdout, io.env);
  const problem = (p: Problem): number => {
    io.stdout.write(`${c.red('✘')} ${p.bad}\n`);
    return exitCodeFor(p.code);
  };
  /** Prints a finding: the exit code of a problem, undefined when it works. */
  const print = (f: Finding): number | undefined => {
    if ('bad' in f) return problem(f);
    io.stdout.write(`${c.green('✔')} ${f.ok}\n${(f.details ?? []).map((l) => `${l}\n`).join('')}`);
    return undefined;
  };
  const settings = readSettings(io.env, options.envNames);
  if ('bad' in settings) return problem(settings);
  const { config } = settings;
  print({ ok: `data centre ${config.dataCentre}: Desk ${config.deskUrl}, Accounts ${config.accountsUrl}${urlsOverridden(config) ? ' (overridden)' : ''}` });
  const client = new ZohoClient({ config, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  for (const check of [checkToken, checkOrganization, listHelpCenters]) {
    const code = print(await check(client, config));
    if (code !== undefined) return code;
  }
  print({ ok: 'read access works. Write scopes (Desk.contacts.UPDATE, Desk.settings.UPDATE) cannot be checked without writing; a missing one stops a run at its first call with exit 3.' });
  return exitCodes.ok;
}

/** The probe's label and user, or undefined without --probe; its options alone are a usage error. */
function probeTarget(o: DoctorOptions): ProbeOptions | undefined {
  if (!o.probe) {
    if (o.label !== undefined || o.user !== undefined || o.yes || o.json) {
      throw new UsageError('--label, --user, --yes and --json go with --probe: `zdlabels doctor --probe --label L --user U [--json] [--yes]`');
    }
    return undefined;
  }
  if (o.label === undefined || o.user === undefined) {
    throw new UsageError('--probe needs --label L and --user U: a test label and a user who holds it (the probe removes U from L and adds it back)');
  }
  return { labelId: checkId('label', o.label), userId: checkId('user', o.user), yes: o.yes ?? false };
}

/**
 * `zdlabels doctor --probe`: how this org answers each unknown of the API,
 * in words or as JSON. Exit 0 when it ran and left everything as found.
 */
async function probeCommand(target: ProbeOptions, options: DoctorOptions, io: Io): Promise<number> {
  const config = configFromEnv(io.env, options.envNames ? { names: options.envNames } : {});
  let last: CallEvent | undefined;
  const client = new ZohoClient({ config, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), onCall: (e) => (last = e) });
  const report = await runProbe(client, () => last, target);
  io.stdout.write(options.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : `${reportLines(report).join('\n')}\n`);
  return report.exitCode;
}

export const doctorCommand = commandModule({
  command: 'doctor',
  describe: 'Check data centre, token refresh, org id and scopes; list help centers and labels. --probe: ask this org how it answers what the API spec leaves open',
  builder: (y) =>
    withOptions(y, ['timeout'])
      .option('probe', {
        type: 'boolean',
        default: false,
        describe: 'On a test label L and a user U who holds it: remove U and add it back through both endpoints, remove a non-member and an unknown ID, report what this org answered; L is left as found',
      })
      .option('label', { ...optionTable.label, describe: 'With --probe: the test label' })
      .option('user', { type: 'string', describe: 'With --probe: a user who holds the test label' })
      .option('yes', { ...optionTable.yes, describe: `With --probe: probe a label with more than ${SMALL_FOOTPRINT} members (or a user with more than ${SMALL_FOOTPRINT} labels) anyway` })
      .option('json', { ...optionTable.json, describe: 'With --probe: the report as one JSON object on stdout' }),
  handler: (a) => choose(a, (io) => doctor({ timeoutMs: timeoutMsOf(a.timeout), probe: a.probe, label: a.label, user: a.user, yes: a.yes, json: a.json }, io)),
});
