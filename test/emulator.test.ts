// The emulator checks what Zoho checks. These tests talk to it with plain
// fetch, not the client, so they also catch a client and emulator agreeing on a mistake.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../src/emulator/server.js';

const label = '24073000002958013';
const user = '1060099000000334001';

describe('emulator checks', () => {
  let emulator: RunningEmulator;
  let token: string;
  beforeEach(async () => {
    emulator = await startEmulator();
    const answer = await fetch(`${emulator.url}/oauth/v2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: emulator.credentials.clientId, client_secret: emulator.credentials.clientSecret, refresh_token: emulator.credentials.refreshToken }),
    });
    token = ((await answer.json()) as { access_token: string }).access_token;
  });
  afterEach(() => emulator.close());

  const call = async (method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) => {
    const r = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: '2389290', 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: r.headers };
  };

  test('the token endpoint answers a bad refresh token with 200 {"error":"invalid_code"}', async () => {
    const r = await fetch(`${emulator.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: emulator.credentials.clientId, client_secret: emulator.credentials.clientSecret, refresh_token: 'nope' }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ error: 'invalid_code' });
  });

  test('no Zoho-oauthtoken header: 401 UNAUTHORIZED; a bad token: 401 INVALID_OAUTH', async () => {
    expect((await call('GET', `/api/v1/labels/${label}`, { headers: { authorization: '' } })).body?.errorCode).toBe('UNAUTHORIZED');
    expect((await call('GET', `/api/v1/labels/${label}`, { headers: { authorization: `Bearer ${token}` } })).body?.errorCode).toBe('UNAUTHORIZED');
    const bad = await call('GET', `/api/v1/labels/${label}`, { headers: { authorization: 'Zoho-oauthtoken 1000.forged' } });
    expect([bad.status, bad.body?.errorCode]).toEqual([401, 'INVALID_OAUTH']);
  });

  test('the orgId header is required (but not for /organizations)', async () => {
    const r = await call('GET', `/api/v1/labels/${label}`, { headers: { orgId: '' } });
    expect([r.status, r.body?.errorCode]).toEqual([422, 'INVALID_DATA']);
    expect((await call('GET', '/api/v1/organizations', { headers: { orgId: '' } })).status).toBe(200);
  });

  test('limit over 50, non-digit IDs and bad bodies are 422 INVALID_DATA; nothing is changed', async () => {
    const before = emulator.state.pairs();
    expect((await call('GET', `/api/v1/labels/${label}/users?limit=51`)).body?.errors).toEqual([{ fieldName: '/limit', errorType: 'invalid', errorMessage: expect.any(String) }]);
    expect((await call('GET', '/api/v1/labels/1.06E%2B18')).status).toBe(422);
    for (const body of ['{"userIds":"123"}', '{"userIds":[]}', '{"userIds":["12a"]}', '{"userIds":["1"],"labelIds":["2"]}', '[]']) {
      expect([body, (await call('POST', `/api/v1/labels/${label}/users/remove`, { body })).status]).toEqual([body, 422]);
    }
    expect((await call('POST', `/api/v1/labels/${label}/users/remove`, { body: '{not json' })).status).toBe(400);
    expect(emulator.state.pairs()).toEqual(before);
  });

  test('an ID is judged by one rule wherever it arrives: path, helpCenterId, orgId header, body, labelIds query', async () => {
    const before = emulator.state.pairs();
    for (const bad of ['12a', '-1', '1.5', '1e3', '0x1f']) {
      const seen = [
        (await call('GET', `/api/v1/labels/${encodeURIComponent(bad)}`)).status,
        (await call('GET', `/api/v1/labels?helpCenterId=${encodeURIComponent(bad)}`)).status,
        (await call('POST', `/api/v1/labels/${label}/users/remove`, { body: JSON.stringify({ userIds: [user, bad] }) })).status,
        (await call('GET', `/api/v1/labels/${label}`, { headers: { orgId: bad } })).status,
      ];
      expect([bad, seen]).toEqual([bad, [422, 422, 422, 422]]);
    }
    emulator.knobs.labelIdsIn = 'query';
    const q = await call('POST', `/api/v1/users/${user}/labels/remove?labelIds=${label},12a`);
    expect([q.status, (q.body?.errors as { fieldName: string }[] | undefined)?.[0]?.fieldName]).toEqual([422, '/labelIds/1']);
    expect(emulator.state.pairs()).toEqual(before);
  });

  test('label-side removal answers 204 and removes exactly the pairs sent', async () => {
    const r = await call('POST', `/api/v1/labels/${label}/users/remove`, { body: JSON.stringify({ userIds: [user, '1060099000000334002'] }) });
    expect([r.status, r.body]).toEqual([204, undefined]);
    expect(emulator.state.has(label, user)).toBe(false);
    expect(emulator.state.has(label, '1060099000000334002')).toBe(false);
    expect(emulator.state.has(label, '1060099000000334003')).toBe(true);
    expect(emulator.state.has('24073000002958029', user)).toBe(true);
  });

  test('DELETE /labels/{id} is answered as Zoho would, and recorded', async () => {
    // The scopes zdlabels asks for do not include deleting; without both of the spec's DELETE scopes Zoho refuses.
    expect((await call('DELETE', `/api/v1/labels/${label}`)).body?.errorCode).toBe('SCOPE_MISMATCH');
    emulator.knobs.scopes = [...emulator.knobs.scopes, 'Desk.settings.DELETE'];
    expect((await call('DELETE', `/api/v1/labels/${label}`)).body?.errorCode).toBe('SCOPE_MISMATCH');
    expect(emulator.state.labels.has(label)).toBe(true);
    emulator.knobs.scopes = [...emulator.knobs.scopes, 'Desk.contacts.DELETE'];
    const r = await call('DELETE', `/api/v1/labels/${label}`);
    expect(r.status).toBe(204);
    expect(emulator.state.labels.has(label)).toBe(false);
    // its assignments went with it, on the user side too
    expect(emulator.state.labelsOf(user).map((x) => x.label.id)).toEqual(['24073000002958029']);
    expect(emulator.calls.map((c) => [c.endpoint, c.status])).toEqual([
      ['deleteLabel', 401],
      ['deleteLabel', 401],
      ['deleteLabel', 204],
    ]);
  });

  test('unknown paths (the how-to helpcenter paths, badges) are 404 URL_NOT_FOUND', async () => {
    const r = await call('DELETE', `/api/v1/helpcenter/24073000002886005/labels/${label}`);
    expect([r.status, r.body?.errorCode]).toEqual([404, 'URL_NOT_FOUND']);
  });

  test('org concurrency limit, credits with Retry-After, and the credit header', async () => {
    emulator.knobs.concurrencyLimit = 1;
    emulator.knobs.latencyMs = 50;
    const both = await Promise.all([call('GET', `/api/v1/labels/${label}`), call('GET', `/api/v1/labels/${label}`)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 429]);
    emulator.knobs.concurrencyLimit = 25;
    emulator.knobs.dailyCredits = 2;
    const last = await call('GET', `/api/v1/labels/${label}`);
    expect(last.headers.get('x-rate-limit-remaining-v3')).toBe('0');
    const out = await call('GET', `/api/v1/labels/${label}`);
    expect([out.status, out.body?.errorCode]).toEqual([429, 'THRESHOLD_EXCEEDED']);
    expect(Number(out.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('faults come from a seed: the same seed gives the same sequence', async () => {
    const statuses = async (): Promise<(number | string)[]> => {
      const e = await startEmulator({ errorRate: 0.3, faultSeed: 42 });
      try {
        const t = await fetch(`${e.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: e.credentials.clientId, client_secret: e.credentials.clientSecret, refresh_token: e.credentials.refreshToken }) });
        const tok = ((await t.json()) as { access_token: string }).access_token;
        for (let i = 0; i < 20; i += 1) await fetch(`${e.url}/api/v1/labels/${label}`, { headers: { authorization: `Zoho-oauthtoken ${tok}`, orgId: '2389290' } });
        return e.calls.map((c) => c.status);
      } finally {
        await e.close();
      }
    };
    const a = await statuses();
    expect(a).toContain(500);
    expect(a).toContain(200);
    expect(await statuses()).toEqual(a);
  });
});

test('the emulator has one home for ID syntax (src/emulator/ids.ts): no other file of it writes its own digits pattern', async () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'emulator');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts') && f !== 'ids.ts');
  expect(files.length).toBeGreaterThan(10);
  const own: string[] = [];
  for (const f of files) if (/\\d[+*]|\[0-9\][+*]/.test(await readFile(join(root, f), 'utf8'))) own.push(f);
  expect(own).toEqual([]);
});
