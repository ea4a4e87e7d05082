import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { EmulatorOptions } from '../../src/emulator/knobs.js';
import { configFromEnv } from '../../src/zoho/config.js';
import { ZohoClient, type ZohoClientOptions } from '../../src/zoho/client.js';
import { tempDir } from './tempDirs.js';

/** Starts an emulator on port 0 and returns it with a client pointed at it. */
export async function withEmulator(
  options: EmulatorOptions = {},
  client: Partial<Omit<ZohoClientOptions, 'config'>> = {},
): Promise<{ emulator: RunningEmulator; client: ZohoClient }> {
  const emulator = await startEmulator(options);
  return { emulator, client: clientFor(emulator, client) };
}

export function clientFor(emulator: RunningEmulator, options: Partial<Omit<ZohoClientOptions, 'config'>> = {}, env: Record<string, string> = {}): ZohoClient {
  return new ZohoClient({ config: configFromEnv({ ...emulator.env, ...env }), ...options });
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}

/** Resolves once `condition` holds, checking every 2 ms; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** An answer as plain fetch saw it: status, parsed JSON body (if any), headers. */
export interface RawAnswer {
  status: number;
  body: Record<string, unknown> | undefined;
  headers: Headers;
}

/** Asks the emulator's token endpoint for a token with its own credentials (plain fetch, not the client). */
export async function rawToken(emulator: RunningEmulator, overrides: Record<string, string> = {}): Promise<RawAnswer> {
  const c = emulator.credentials;
  const r = await fetch(`${emulator.url}/oauth/v2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken, ...overrides }),
  });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: r.headers };
}

/**
 * Calls the emulator with plain fetch, as a fresh token's holder with orgId 2389290:
 * tests of the emulator itself must not go through the client they are meant to check.
 */
export async function rawApi(emulator: RunningEmulator): Promise<(method: string, path: string, init?: { headers?: Record<string, string>; body?: unknown }) => Promise<RawAnswer>> {
  const token = (await rawToken(emulator)).body?.access_token as string;
  return async (method, path, init = {}) => {
    const r = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { authorization: `Zoho-oauthtoken ${token}`, orgId: '2389290', 'content-type': 'application/json', ...init.headers },
      ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
    });
    const text = await r.text();
    return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, headers: r.headers };
  };
}

/**
 * For each test of the describe it is called in: an emulator with `options`
 * and a temporary folder, the emulator closed after. Read them as `t.emulator`, `t.dir`.
 */
export function eachTest(options: EmulatorOptions = {}): { readonly emulator: RunningEmulator; readonly dir: string } {
  const t = {} as { emulator: RunningEmulator; dir: string };
  beforeEach(async () => {
    t.emulator = await startEmulator(options);
    t.dir = await tempDir();
  });
  afterEach(() => t.emulator.close());
  return t;
}
