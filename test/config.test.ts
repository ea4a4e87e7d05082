import { ConfigError } from '../src/errors/ConfigError.js';
import { configFromEnv, isEnvVariableName, urlsOverridden } from '../src/zoho/config.js';
import { cli, tempDir, writePairs } from './helpers/cli.js';
import { dataCentres } from '../src/zoho/datacentres.js';

const creds = { ZOHO_CLIENT_ID: '1000.ABC', ZOHO_CLIENT_SECRET: 's3cr3t-value', ZOHO_REFRESH_TOKEN: '1000.refresh-value', ZOHO_ORG_ID: '2389290' };

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    configFromEnv(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  test('defaults to the com data centre', () => {
    const c = configFromEnv(creds);
    expect(c.deskUrl).toBe('https://desk.zoho.com');
    expect(c.accountsUrl).toBe('https://accounts.zoho.com');
    expect(c.orgId).toBe('2389290');
    expect(c.credentials).toEqual({ kind: 'refresh', clientId: '1000.ABC', clientSecret: 's3cr3t-value', refreshToken: '1000.refresh-value' });
  });

  test.each(Object.entries(dataCentres))('ZOHO_DC=%s picks its Desk and Accounts hosts', (dc, hosts) => {
    const c = configFromEnv({ ...creds, ZOHO_DC: dc });
    expect(c.deskUrl).toBe(hosts.desk);
    expect(c.accountsUrl).toBe(hosts.accounts);
  });

  test('ca and eu hosts are the documented ones', () => {
    expect(configFromEnv({ ...creds, ZOHO_DC: 'ca' }).deskUrl).toBe('https://desk.zohocloud.ca');
    expect(configFromEnv({ ...creds, ZOHO_DC: 'eu' }).accountsUrl).toBe('https://accounts.zoho.eu');
  });

  test('an unknown data centre names the variable and the allowed values', () => {
    const e = configError({ ...creds, ZOHO_DC: 'us' });
    expect(e.variable).toBe('ZOHO_DC');
    expect(e.message).toContain('"us"');
    expect(e.message).toContain('com.au');
  });

  test('overrides win over the data centre; loopback may be plain http', () => {
    const c = configFromEnv({ ...creds, ZOHO_DC: 'eu', ZOHO_DESK_URL: 'http://127.0.0.1:4010/', ZOHO_ACCOUNTS_URL: 'http://localhost:4011' });
    expect(c.deskUrl).toBe('http://127.0.0.1:4010');
    expect(c.accountsUrl).toBe('http://localhost:4011');
    expect(configFromEnv({ ...creds, ZOHO_DESK_URL: 'http://[::1]:8080' }).deskUrl).toBe('http://[::1]:8080');
    expect(configFromEnv({ ...creds, ZOHO_DESK_URL: 'https://proxy.example.com/zoho' }).deskUrl).toBe('https://proxy.example.com/zoho');
  });

  test('a non-https override off loopback is refused', () => {
    const e = configError({ ...creds, ZOHO_DESK_URL: 'http://desk.example.com' });
    expect(e.variable).toBe('ZOHO_DESK_URL');
    expect(e.message).toMatch(/only https/);
    expect(configError({ ...creds, ZOHO_ACCOUNTS_URL: 'http://10.0.0.5' }).variable).toBe('ZOHO_ACCOUNTS_URL');
    expect(configError({ ...creds, ZOHO_DESK_URL: 'not a url' }).message).toMatch(/absolute URL/);
  });

  test('org id: missing or malformed is named', () => {
    const { ZOHO_ORG_ID: _drop, ...noOrg } = creds;
    expect(configError(noOrg).variable).toBe('ZOHO_ORG_ID');
    const bad = configError({ ...creds, ZOHO_ORG_ID: '2389290x' });
    expect(bad.variable).toBe('ZOHO_ORG_ID');
    expect(bad.message).toContain('digits');
    expect(configFromEnv(noOrg, { requireOrgId: false }).orgId).toBeUndefined();
  });

  test('a partial set of refresh credentials names what is missing, without echoing secrets', () => {
    const e = configError({ ZOHO_ORG_ID: '1', ZOHO_CLIENT_ID: '1000.ABC', ZOHO_CLIENT_SECRET: 's3cr3t-value' });
    expect(e.variable).toBe('ZOHO_REFRESH_TOKEN');
    expect(e.message).not.toContain('s3cr3t-value');
  });

  test('an access token alone is accepted; nothing at all is a named error', () => {
    expect(configFromEnv({ ZOHO_ORG_ID: '1', ZOHO_ACCESS_TOKEN: '1000.tok' }).credentials).toEqual({ kind: 'access', accessToken: '1000.tok' });
    expect(configError({ ZOHO_ORG_ID: '1' }).message).toMatch(/ZOHO_ACCESS_TOKEN/);
  });

  test('nothing set: every missing variable is named at once', () => {
    const e = configError({});
    expect(e.variable).toBe('ZOHO_ORG_ID, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN');
    expect(e.message).toMatch(/^ZOHO_ORG_ID, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN: missing: set ZOHO_ORG_ID to .*; set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN .*, or ZOHO_ACCESS_TOKEN alone/);
    expect(configError({ ZOHO_CLIENT_ID: '1000.ABC' }).variable).toBe('ZOHO_ORG_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN');
  });

  test('nothing set, from the command line: one message naming them all, exit 2', async () => {
    const dir = await tempDir();
    const input = await writePairs(dir, [['1060099000000334001', '24073000002958013']]);
    const r = await cli(['remove', input], { env: {}, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^zdlabels: ZOHO_ORG_ID, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN: missing: /)]);
  });

  test('a renamed variable that is not a plausible name (a pasted secret?) is refused without showing it', () => {
    const secret = '3b07a1c9e5f20d4b8a6c1e3f5a7b9c0d2e4f6a8b1c';
    for (const name of [secret, `b${secret}`, 'lower_case', 'A'.repeat(129)]) {
      let error: unknown;
      try {
        configFromEnv({ ...creds }, { names: { clientSecret: name } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe("ZOHO_CLIENT_SECRET (renamed by the job's env)");
      expect((error as Error).message).not.toContain(name.slice(0, 10));
    }
    expect(isEnvVariableName('HR_SYNC_ZOHO_CLIENT_SECRET')).toBe(true);
    expect(isEnvVariableName('_X1')).toBe(true);
    expect(isEnvVariableName('ABCDEF0123456789ABCDEF')).toBe(false);
  });

  test('variable names can be remapped (job files keep credentials elsewhere)', () => {
    const c = configFromEnv({ ACME_ORG: '77', ACME_TOKEN: 't' }, { names: { orgId: 'ACME_ORG', accessToken: 'ACME_TOKEN' } });
    expect(c.orgId).toBe('77');
  });

  test('the URLs count as overridden (doctor says so) when they differ from the data centre\'s, whichever variable set them', () => {
    expect(urlsOverridden(configFromEnv(creds))).toBe(false);
    expect(urlsOverridden(configFromEnv({ ...creds, ZOHO_DESK_URL: 'http://127.0.0.1:4010' }))).toBe(true);
    expect(urlsOverridden(configFromEnv({ ...creds, ZOHO_DC: 'eu', ZOHO_ACCOUNTS_URL: 'https://accounts.zoho.com' }))).toBe(true);
    // set, but to nothing or to the data centre's own URL: not an override
    expect(urlsOverridden(configFromEnv({ ...creds, ZOHO_DESK_URL: '  ', ZOHO_ACCOUNTS_URL: '' }))).toBe(false);
    expect(urlsOverridden(configFromEnv({ ...creds, ZOHO_DC: 'eu', ZOHO_DESK_URL: 'https://desk.zoho.eu/' }))).toBe(false);
    // a job's names: its variable counts, the default name it replaced does not
    const names = { deskUrl: 'ACME_DESK' };
    expect(urlsOverridden(configFromEnv({ ...creds, ACME_DESK: 'http://localhost:4010' }, { names }))).toBe(true);
    expect(urlsOverridden(configFromEnv({ ...creds, ZOHO_DESK_URL: 'http://localhost:4010' }, { names }))).toBe(false);
  });
});
