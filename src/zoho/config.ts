import { ConfigError } from '../errors/ConfigError.js';
import { dataCentres, isDataCentre, type DataCentre } from './datacentres.js';

export type Credentials =
  | { kind: 'refresh'; clientId: string; clientSecret: string; refreshToken: string }
  | { kind: 'access'; accessToken: string };

export interface ZohoConfig {
  dataCentre: DataCentre;
  /** Origin (and optional path prefix) of the Desk API, no trailing slash. */
  deskUrl: string;
  /** Origin of Zoho Accounts, no trailing slash. */
  accountsUrl: string;
  orgId: string | undefined;
  credentials: Credentials;
  /** The variable the data centre was read from (ZOHO_DC, or a job's mapping), for messages. */
  dataCentreVariable: string;
}

/** The environment variables a config is read from; a job may point them elsewhere. */
export const envNames = {
  dc: 'ZOHO_DC',
  deskUrl: 'ZOHO_DESK_URL',
  accountsUrl: 'ZOHO_ACCOUNTS_URL',
  orgId: 'ZOHO_ORG_ID',
  clientId: 'ZOHO_CLIENT_ID',
  clientSecret: 'ZOHO_CLIENT_SECRET',
  refreshToken: 'ZOHO_REFRESH_TOKEN',
  accessToken: 'ZOHO_ACCESS_TOKEN',
} as const;

export type EnvNames = { -readonly [K in keyof typeof envNames]: string };

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function readUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, `expected an absolute URL such as https://desk.zoho.eu, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new ConfigError(
      variable,
      `refusing ${url.protocol}//${url.host}: only https is allowed, except on loopback (localhost, 127.0.0.1, [::1]) for the emulator`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(variable, 'expected an origin with an optional path, without query, fragment or credentials');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Reads the Zoho settings from the environment. Every problem is a ConfigError
 * naming the variable; no value of a secret is ever put in a message.
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { requireOrgId?: boolean; names?: Partial<EnvNames> } = {},
): ZohoConfig {
  const names: EnvNames = { ...envNames, ...options.names };
  const get = (key: keyof EnvNames): string | undefined => {
    const v = env[names[key]]?.trim();
    return v === '' ? undefined : v;
  };

  const dc = get('dc') ?? 'com';
  if (!isDataCentre(dc)) {
    throw new ConfigError(names.dc, `unknown data centre ${JSON.stringify(dc)}; expected one of ${Object.keys(dataCentres).join(', ')}`);
  }
  const deskOverride = get('deskUrl');
  const accountsOverride = get('accountsUrl');
  const deskUrl = deskOverride === undefined ? dataCentres[dc].desk : readUrl(names.deskUrl, deskOverride);
  const accountsUrl =
    accountsOverride === undefined ? dataCentres[dc].accounts : readUrl(names.accountsUrl, accountsOverride);

  const orgId = get('orgId');
  if (orgId !== undefined && !/^\d+$/.test(orgId)) {
    throw new ConfigError(names.orgId, `expected the organization id, digits only (e.g. 2389290), got ${JSON.stringify(orgId)}`);
  }
  if (orgId === undefined && options.requireOrgId !== false) {
    throw new ConfigError(names.orgId, 'missing: set it to your Zoho Desk organization id (Setup › Developer Space › API; `GET /api/v1/organizations` lists them)');
  }

  const clientId = get('clientId');
  const clientSecret = get('clientSecret');
  const refreshToken = get('refreshToken');
  const accessToken = get('accessToken');
  let credentials: Credentials;
  if (clientId !== undefined || clientSecret !== undefined || refreshToken !== undefined) {
    const missing = (['clientId', 'clientSecret', 'refreshToken'] as const).filter((k) => get(k) === undefined);
    if (missing.length > 0) {
      throw new ConfigError(
        missing.map((k) => names[k]).join(', '),
        `missing: a refresh needs ${names.clientId}, ${names.clientSecret} and ${names.refreshToken} together`,
      );
    }
    credentials = { kind: 'refresh', clientId: clientId!, clientSecret: clientSecret!, refreshToken: refreshToken! };
  } else if (accessToken !== undefined) {
    credentials = { kind: 'access', accessToken };
  } else {
    throw new ConfigError(
      `${names.clientId}/${names.clientSecret}/${names.refreshToken}`,
      `missing credentials: set those three (a self client in the Zoho API console gives them), or ${names.accessToken} alone for a short run`,
    );
  }
  return { dataCentre: dc, dataCentreVariable: names.dc, deskUrl, accountsUrl, orgId, credentials };
}
