import { ConfigError } from '../errors/ConfigError.js';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import { UsageError } from '../errors/UsageError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import { exitCodes } from '../exitCodes.js';
import type { Io } from '../io.js';
import { colours } from '../log.js';
import { runProbe, type ProbeOptions } from '../probe/probe.js';
import { reportJson, reportLines } from '../probe/report.js';
import { requiredScopes } from '../zoho/endpoints.js';
import { ZohoClient, type CallEvent } from '../zoho/client.js';
import { configFromEnv, type EnvNames, type ZohoConfig } from '../zoho/config.js';
import { dataCentres } from '../zoho/datacentres.js';
import { listAll } from '../zoho/pager.js';
import { SMALL_FOOTPRINT } from '../probe/preflight.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, timeoutMsOf, withOptions } from './optionTable.js';
import { checkId } from './optionValues.js';

export interface DoctorOptions {
  envNames?: Partial<EnvNames> | undefined;
  timeoutMs?: number | undefined;
  /** `--probe`, with its `--label`, `--user`, `--yes` and `--json`. */
  probe?: boolean | undefined;
  label?: string | undefined;
  user?: string | undefined;
  yes?: boolean | undefined;
  json?: boolean | undefined;
}

/** Explains a failed call in terms of what to fix. */
function explain(error: unknown, config: ZohoConfig): string {
  if (!(error instanceof ZohoApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.errorCode) {
    case 'INVALID_OAUTH':
    case 'UNAUTHORIZED':
      return `Zoho Desk at ${config.deskUrl} refused an access token that Zoho Accounts at ${config.accountsUrl} had just issued. The data centre is probably wrong: a wrong data centre answers 401 even to a valid token. ZOHO_DC is "${config.dataCentre}"; set it to the one your Zoho account lives in (${Object.keys(dataCentres).join(', ')}).`;
    case 'SCOPE_MISMATCH':
      return `the token lacks a needed scope. Create the refresh token with the scopes ${requiredScopes.join(',')}.`;
    case 'OAUTH_ORG_MISMATCH':
      return `the token is not valid for organization ${config.orgId ?? '(none)'}: check ZOHO_ORG_ID.`;
    default:
      return error.message;
  }
}

/**
 * `zdlabels doctor`: checks the setup before a real run (data centre and URLs,
 * token refresh, org id, read scopes) and lists help centers and labels.
 * Exit 0 when healthy, 3 otherwise.
 */
export async function doctor(options: DoctorOptions, io: Io): Promise<number> {
  const probe = probeTarget(options);
  if (probe) return probeCommand(probe, options, io);
  const c = colours(io.stdout, io.env);
  const ok = (line: string) => io.stdout.write(`${c.green('✔')} ${line}\n`);
  const bad = (line: string) => io.stdout.write(`${c.red('✘')} ${line}\n`);
  let config: ZohoConfig;
  try {
    config = configFromEnv(io.env, { requireOrgId: false, ...(options.envNames ? { names: options.envNames } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    bad(`configuration: ${error.message}`);
    return exitCodes.auth;
  }
  ok(`data centre ${config.dataCentre}: Desk ${config.deskUrl}, Accounts ${config.accountsUrl}${io.env.ZOHO_DESK_URL || io.env.ZOHO_ACCOUNTS_URL ? ' (overridden)' : ''}`);
  const client = new ZohoClient({ config, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });

  try {
    await client.tokens.get();
    ok(config.credentials.kind === 'refresh' ? 'token refresh works' : 'using ZOHO_ACCESS_TOKEN as given (it cannot be refreshed)');
  } catch (error) {
    bad(`token refresh: ${error instanceof TokenRefreshError ? error.message : String(error)}`);
    return exitCodes.auth;
  }

  let orgs;
  try {
    orgs = (await client.call('listOrganizations', {})).data;
  } catch (error) {
    bad(`organizations: ${explain(error, config)}`);
    return exitCodes.auth;
  }
  const listed = orgs.map((o) => `${o.id} (${o.companyName ?? o.portalName ?? '?'})`).join(', ');
  if (config.orgId === undefined) {
    bad(`ZOHO_ORG_ID is not set; this token reaches: ${listed}`);
    return exitCodes.auth;
  }
  if (!orgs.some((o) => o.id === config.orgId)) {
    bad(`ZOHO_ORG_ID=${config.orgId} is not among the organizations this token reaches: ${listed}. Set ZOHO_ORG_ID to one of them.`);
    return exitCodes.auth;
  }
  ok(`organization ${config.orgId} is reachable with this token`);

  try {
    const helpCenters = await listAll(client, 'listHelpCenters');
    ok(`${helpCenters.length} help center(s):`);
    for (const hc of helpCenters) {
      io.stdout.write(`    ${hc.id}  ${hc.name ?? ''}\n`);
      const labels = await listAll(client, 'listLabels', { query: { helpCenterId: hc.id } });
      io.stdout.write(`      ${labels.length} label(s):\n`);
      for (const l of labels) io.stdout.write(`        ${l.id}  ${l.name ?? ''}  (${String(l.count ?? '?')} members)\n`);
    }
  } catch (error) {
    bad(`help centers and labels: ${explain(error, config)}`);
    return exitCodes.auth;
  }
  ok(`read access works. Write scopes (Desk.contacts.UPDATE, Desk.settings.UPDATE) cannot be checked without writing; a missing one stops a run at its first call with exit 3.`);
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
