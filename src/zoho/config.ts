import { ConfigError } from '../errors/ConfigError.js';
import { isLoopback } from '../loopback.js';
import { dataCentres, isDataCentre, type DataCentre } from './datacentres.js';
import { isDigits } from './ids.js';

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

/** How long one call (or token request) may take when no timeout is given: `--timeout`'s default. */
export const defaultTimeoutMs = 30_000;

/** The environment variables a config is read from; a job may point them elsewhere. */
const envNames = {
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
/** A setting's default variable name: ZOHO_DC … ZOHO_ACCESS_TOKEN. */
export type EnvVariable = (typeof envNames)[keyof typeof envNames];
export const envVariables = Object.values(envNames);

/** The names `configFromEnv` takes, from a mapping of default variable names to others (a job's `env`). */
export function renamedEnv(renames: Partial<Record<EnvVariable, string>>): Partial<EnvNames> {
  const names: Partial<EnvNames> = {};
  for (const [key, variable] of Object.entries(envNames) as [keyof EnvNames, EnvVariable][]) {
    const name = renames[variable];
    if (name !== undefined) names[key] = name;
  }
  return names;
}

/**
 * A name a job may give for an environment variable: capital letters, digits
 * and `_`, not starting with a digit, at most 128 characters, and no run of 16
 * hexadecimal digits. Anything else is more likely the secret itself pasted
 * where its variable's name belongs (Zoho's client secrets are 42 hex digits,
 * its tokens `1000.…`), so it is refused and never shown.
 */
export const envVariableNamePattern = '^(?![A-Z0-9_]*[0-9A-F]{16})[A-Z_][A-Z0-9_]{0,127}$';
const envVariableName = new RegExp(envVariableNamePattern, 'u');

export function isEnvVariableName(value: unknown): value is string {
  return typeof value === 'string' && envVariableName.test(value);
}

function readUrl(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConfigError(variable, `expected an absolute URL such as https://desk.zoho.eu, got ${JSON.stringify(value)}`, { cause: error });
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

/** A renamed variable that is not a plausible name is refused without showing what was given. */
function checkNames(given: Partial<EnvNames>): void {
  for (const [key, name] of Object.entries(given) as [keyof EnvNames, string | undefined][]) {
    if (name !== undefined && !isEnvVariableName(name)) {
      throw new ConfigError(
        `${envNames[key]} (renamed by the job's env)`,
        'the name given is not an environment variable name (capital letters, digits and _); it may be the secret itself, so it is not shown. Put the value in an environment variable and give that variable\'s name',
      );
    }
  }
}

type Getter = (key: keyof EnvNames) => string | undefined;

/** The credentials, or what is missing (names into `missing`, what to do into `todo`). */
function readCredentials(get: Getter, names: EnvNames, missing: string[], todo: string[]): Credentials | undefined {
  const trio = ['clientId', 'clientSecret', 'refreshToken'] as const;
  const absent = trio.filter((k) => get(k) === undefined);
  if (absent.length < trio.length) {
    if (absent.length === 0) return { kind: 'refresh', clientId: get('clientId')!, clientSecret: get('clientSecret')!, refreshToken: get('refreshToken')! };
    missing.push(...absent.map((k) => names[k]));
    todo.push(`a refresh needs ${names.clientId}, ${names.clientSecret} and ${names.refreshToken} together`);
    return undefined;
  }
  const accessToken = get('accessToken');
  if (accessToken !== undefined) return { kind: 'access', accessToken };
  missing.push(...trio.map((k) => names[k]));
  todo.push(`set ${names.clientId}, ${names.clientSecret} and ${names.refreshToken} (a self client in the Zoho API console gives them), or ${names.accessToken} alone for a short run`);
  return undefined;
}

/**
 * Whether the Desk or Accounts URL is not the data centre's own: set by
 * ZOHO_DESK_URL or ZOHO_ACCOUNTS_URL, or by the variables a job names instead.
 */
export function urlsOverridden(config: ZohoConfig): boolean {
  const own = dataCentres[config.dataCentre];
  return config.deskUrl !== own.desk || config.accountsUrl !== own.accounts;
}

/**
 * Reads the Zoho settings from the environment. Every problem is a ConfigError
 * naming the variable (every missing one at once); no value of a secret is ever
 * put in a message.
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { requireOrgId?: boolean; names?: Partial<EnvNames> } = {},
): ZohoConfig {
  checkNames(options.names ?? {});
  const names: EnvNames = { ...envNames, ...options.names };
  const get: Getter = (key) => {
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
  if (orgId !== undefined && !isDigits(orgId)) {
    throw new ConfigError(names.orgId, `expected the organization id, digits only (e.g. 2389290), got ${JSON.stringify(orgId)}`);
  }
  const missing: string[] = [];
  const todo: string[] = [];
  if (orgId === undefined && options.requireOrgId !== false) {
    missing.push(names.orgId);
    todo.push(`set ${names.orgId} to your Zoho Desk organization id (Setup › Developer Space › API; \`GET /api/v1/organizations\` lists them)`);
  }
  const credentials = readCredentials(get, names, missing, todo);
  if (credentials === undefined || missing.length > 0) throw new ConfigError(missing.join(', '), `missing: ${todo.join('; ')}`);
  return { dataCentre: dc, dataCentreVariable: names.dc, deskUrl, accountsUrl, orgId, credentials };
}
