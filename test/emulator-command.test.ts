// `zdlabels emulator`: serving from a seed file, and refusing addresses it must not take.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isLoopback } from '../src/loopback.js';
import { cli, tempDir } from './helpers/cli.js';

/** Runs `zdlabels emulator` with `flags` in its own process, hands `use` the environment it printed, then stops it. */
async function serving(flags: string[], use: (env: Record<string, string>) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, ['dist/main.js', 'emulator', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => child.stdout.on('data', (d: string) => ((out += d), out.includes('Ctrl-C') && resolve())));
    await use(Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

describe('zdlabels emulator (the command)', () => {
  test('serves, prints its URL and environment, and stops on SIGTERM', async () => {
    const dir = await tempDir();
    const seedFile = join(dir, 'seed.json');
    await writeFile(
      seedFile,
      JSON.stringify({
        organizations: [{ id: '55' }],
        helpCenters: [{ id: '66', name: 'HC', orgId: '55' }],
        labels: [{ id: '1060099000000000077', name: 'L', helpCenterId: '66' }],
        users: [{ id: '1060099000000000088', name: 'U', email: 'u@x.io', status: 'DISABLED', lastAccessedTime: '2026-01-05T09:00:00.000Z' }],
        memberships: [{ labelId: '1060099000000000077', userIds: ['1060099000000000088'] }],
      }),
    );
    const child = spawn(process.execPath, ['dist/main.js', 'emulator', '--seed', seedFile, '--org-mismatch-status', '403'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: string) => {
        out += d;
        if (out.includes('Ctrl-C')) resolve();
      });
    });
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(out).toContain('1 label(s), 1 user(s), 1 label assignment(s)');
    expect(out).toContain(`export ZOHO_DESK_URL=${url}`);
    expect(out).toContain('export ZOHO_ORG_ID=55');
    expect((await fetch(`${url}/api/v1/organizations`)).status).toBe(401);
    // a knob given as a flag is in force
    const env = Object.fromEntries([...out.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    const token = (await (await fetch(`${url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: env.ZOHO_CLIENT_ID!, client_secret: env.ZOHO_CLIENT_SECRET!, refresh_token: env.ZOHO_REFRESH_TOKEN! }) })).json()) as { access_token: string };
    const mismatch = await fetch(`${url}/api/v1/labels`, { headers: { authorization: `Zoho-oauthtoken ${token.access_token}`, orgId: '999' } });
    expect(mismatch.status).toBe(403);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });

  test('the flags for credits and for what Zoho leaves unknown reach the emulator', async () => {
    const flags = ['--daily-credits', '100', '--credits-used', '90', '--label-ids-in', 'query', '--errors-array', 'without', '--non-member', '404', '--unknown-user-in-batch', 'ignore', '--remove-scope', 'all', '--scope-error', 'INVALID_OAUTH-403', '--refresh-throttle-after', '1', '--refresh-throttle-locale', 'zh', '--api-domain', 'https://www.zohoapis.eu'];
    await serving(flags, async (env) => {
      const url = env.ZOHO_DESK_URL!;
      const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: env.ZOHO_CLIENT_ID!, client_secret: env.ZOHO_CLIENT_SECRET!, refresh_token: env.ZOHO_REFRESH_TOKEN! });
      const token = (await (await fetch(`${url}/oauth/v2/token`, { method: 'POST', body: form })).json()) as Record<string, string>;
      expect(token.api_domain).toBe('https://www.zohoapis.eu');
      expect(((await (await fetch(`${url}/oauth/v2/token`, { method: 'POST', body: form })).json()) as Record<string, string>).error).toBe('拒绝访问');
      const api = async (method: string, path: string, body?: unknown) => {
        const r = await fetch(`${url}${path}`, { method, headers: { authorization: `Zoho-oauthtoken ${token.access_token!}`, orgId: '2389290', 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
        const text = await r.text();
        return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, left: r.headers.get('x-rate-limit-remaining-v3') };
      };
      // by-user labelIds in the body are missing (query mode), refused without an errors array
      const byUser = await api('POST', '/api/v1/users/1060099000000334001/labels/remove', { labelIds: ['24073000002958013'] });
      expect([byUser.status, byUser.body?.errorCode, byUser.left]).toEqual([422, 'UNPROCESSABLE_ENTITY', '9']);
      // a non-member refuses the call with 404 (the unknown user is ignored)
      expect((await api('POST', '/api/v1/labels/24073000002958029/users/remove', { userIds: ['1060099000000334050', '1060099000000999999'] })).status).toBe(404);
      // remove-scope all: one listed member empties the label
      expect((await api('POST', '/api/v1/labels/24073000002958029/users/remove', { userIds: ['1060099000000334001'] })).status).toBe(204);
      expect((await api('GET', '/api/v1/labels/24073000002958029')).body?.count).toBe('0');
      const log = (await (await fetch(`${url}/__emulator/log`)).json()) as Record<string, unknown>;
      expect([log.creditsUsed, log.pairs]).toEqual([94, 160]);
    });
  });

  test('the flags for the answers known from third parties only reach the emulator', async () => {
    const flags = ['--credit-headers', 'omit', '--refresh-refusal-status', '400', '--invalid-token-body', 'empty', '--too-large', '413-empty', '--max-ids', '1'];
    await serving(flags, async (env) => {
      const url = env.ZOHO_DESK_URL!;
      const form = (refreshToken: string) => new URLSearchParams({ grant_type: 'refresh_token', client_id: env.ZOHO_CLIENT_ID!, client_secret: env.ZOHO_CLIENT_SECRET!, refresh_token: refreshToken });
      const refused = await fetch(`${url}/oauth/v2/token`, { method: 'POST', body: form('nope') });
      expect([refused.status, await refused.json()]).toEqual([400, { error: 'invalid_code' }]);
      const token = ((await (await fetch(`${url}/oauth/v2/token`, { method: 'POST', body: form(env.ZOHO_REFRESH_TOKEN!) })).json()) as Record<string, string>).access_token!;
      const api = async (authorization: string, body?: unknown) => {
        const r = await fetch(`${url}/api/v1/labels/24073000002958013/users/remove`, { method: 'POST', headers: { authorization, orgId: '2389290', 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
        return [r.status, await r.text(), r.headers.get('x-rate-limit-remaining-v3')];
      };
      expect(await api('Zoho-oauthtoken emu-access-forged')).toEqual([401, '', null]);
      expect(await api(`Zoho-oauthtoken ${token}`, { userIds: ['1060099000000334001', '1060099000000334002'] })).toEqual([413, '', null]);
      expect(await api(`Zoho-oauthtoken ${token}`, { userIds: ['1060099000000334001'] })).toEqual([204, '', null]);
    });
  });

  test('a port in use exits 2 saying so, with no stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const r = await cli(['emulator', '--port', String(port)], { cwd: await tempDir() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${port} is in use`);
      expect(r.stderr).toContain('--port 0');
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    } finally {
      blocker.close();
    }
  });

  test.each(['0.0.0.0', '192.168.1.5', '::', 'example.com', '128.0.0.1'])('--host %s is refused with exit 2: the emulator is loopback-only', async (host) => {
    const r = await cli(['emulator', '--host', host], { cwd: await tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--host ${host}: the emulator serves on loopback only`);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  });

  test('loopback is 127.0.0.0/8, ::1 and localhost', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'].filter(isLoopback)).toHaveLength(6);
    expect(['0.0.0.0', '::', '10.0.0.1', '127.0.0.1.example.com', '127.0.0', '::ffff:10.0.0.1', ''].filter(isLoopback)).toEqual([]);
  });

  test('a port beyond 65535 exits 2', async () => {
    const r = await cli(['emulator', '--port', '70000'], { cwd: await tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port to be an integer from 0 to 65535');
  });
});
