// The checks of `zdlabels doctor`, in order, each a finding: what works, or
// what is wrong with its fix and the kind of problem (its exit code is decided
// in exitCodes.ts, as every other error's).
import { ConfigError } from '../errors/ConfigError.js';
import { TokenRefreshError } from '../errors/TokenRefreshError.js';
import type { ErrorCode } from '../errors/ZdlabelsError.js';
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { ZohoClient } from '../zoho/client.js';
import { configFromEnv, type EnvNames, type ZohoConfig } from '../zoho/config.js';
import { dataCentres } from '../zoho/datacentres.js';
import { requiredScopes } from '../zoho/endpoints.js';
import { listAll } from '../zoho/pager.js';

/** What does not work, and the kind of problem it is. */
export interface Problem {
  bad: string;
  code: ErrorCode;
}

/** What works (with lines that list what was found), or what does not. */
export type Finding = { ok: string; details?: string[] } | Problem;

/** Explains a failed call in terms of what to fix. */
function explain(error: unknown, config: ZohoConfig): string {
  if (!(error instanceof ZohoApiError)) return error instanceof Error ? error.message : String(error);
  switch (error.errorCode) {
    case 'INVALID_OAUTH':
    case 'UNAUTHORIZED':
      return `Zoho Desk at ${config.deskUrl} refused an access token that Zoho Accounts at ${config.accountsUrl} had just issued. The data centre is probably wrong: a wrong data centre answers 401 even to a valid token. ${config.dataCentreVariable} is "${config.dataCentre}"; set it to the one your Zoho account lives in (${Object.keys(dataCentres).join(', ')}).`;
    case 'SCOPE_MISMATCH':
      return `the token lacks a needed scope. Create the refresh token with the scopes ${requiredScopes.join(',')}.`;
    case 'OAUTH_ORG_MISMATCH':
      return `the token is not valid for organization ${config.orgId ?? '(none)'}: check ZOHO_ORG_ID.`;
    default:
      return error.message;
  }
}

/** The settings from the environment; a missing or malformed one is a configuration problem. */
export function readSettings(env: NodeJS.ProcessEnv, names: Partial<EnvNames> | undefined): { config: ZohoConfig } | Problem {
  try {
    return { config: configFromEnv(env, { requireOrgId: false, ...(names ? { names } : {}) }) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { bad: `configuration: ${error.message}`, code: error.code };
  }
}

export async function checkToken(client: ZohoClient, config: ZohoConfig): Promise<Finding> {
  try {
    await client.tokens.get();
    return { ok: config.credentials.kind === 'refresh' ? 'token refresh works' : 'using ZOHO_ACCESS_TOKEN as given (it cannot be refreshed)' };
  } catch (error) {
    // A token issued for another data centre than ZOHO_DC is a setting to fix (exit 2), not a refusal.
    if (error instanceof ConfigError) return { bad: `token refresh: ${error.message}`, code: 'CONFIG' };
    return { bad: `token refresh: ${error instanceof Error ? error.message : String(error)}`, code: 'AUTH' };
  }
}

/** The org id is set and is one the token reaches. */
export async function checkOrganization(client: ZohoClient, config: ZohoConfig): Promise<Finding> {
  let orgs;
  try {
    orgs = (await client.call('listOrganizations', {})).data;
  } catch (error) {
    return { bad: `organizations: ${explain(error, config)}`, code: 'AUTH' };
  }
  const listed = orgs.map((o) => `${o.id} (${o.companyName ?? o.portalName ?? '?'})`).join(', ');
  // Not set is a setting missing, as it is for every other command; not reached is a permission.
  if (config.orgId === undefined) return { bad: `ZOHO_ORG_ID is not set; this token reaches: ${listed}`, code: 'CONFIG' };
  if (!orgs.some((o) => o.id === config.orgId)) {
    return { bad: `ZOHO_ORG_ID=${config.orgId} is not among the organizations this token reaches: ${listed}. Set ZOHO_ORG_ID to one of them.`, code: 'AUTH' };
  }
  return { ok: `organization ${config.orgId} is reachable with this token` };
}

/** Reads are allowed: the help centers, and the labels of each with their member counts. */
export async function listHelpCenters(client: ZohoClient, config: ZohoConfig): Promise<Finding> {
  try {
    const helpCenters = await listAll(client, 'listHelpCenters');
    const details: string[] = [];
    for (const hc of helpCenters) {
      details.push(`    ${hc.id}  ${hc.name ?? ''}`);
      const labels = await listAll(client, 'listLabels', { query: { helpCenterId: hc.id } });
      details.push(`      ${labels.length} label(s):`, ...labels.map((l) => `        ${l.id}  ${l.name ?? ''}  (${String(l.count ?? '?')} members)`));
    }
    return { ok: `${helpCenters.length} help center(s):`, details };
  } catch (error) {
    return { bad: `help centers and labels: ${explain(error, config)}`, code: 'AUTH' };
  }
}
