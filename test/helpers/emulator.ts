import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import type { EmulatorOptions } from '../../src/emulator/options.js';
import { configFromEnv } from '../../src/zoho/config.js';
import { ZohoClient, type ZohoClientOptions } from '../../src/zoho/client.js';

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
