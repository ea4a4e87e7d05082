import { isIP } from 'node:net';
import { loadSeed } from '../emulator/seed.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import type { EmulatorKnobs } from '../emulator/knobs.js';
import { ConfigError } from '../errors/ConfigError.js';
import { UsageError } from '../errors/UsageError.js';
import type { Io } from '../io.js';

export interface EmulatorCommandOptions extends Partial<EmulatorKnobs> {
  seed?: string | undefined;
  host: string;
  port: number;
}

/** 127.0.0.0/8, ::1 and localhost: the emulator has throwaway credentials and must never face a network. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare.toLowerCase() === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function checkAddress(host: string, port: number): void {
  if (!isLoopback(host)) {
    throw new UsageError(`--host ${host}: the emulator serves on loopback only (127.0.0.1, another 127.x.y.z, ::1 or localhost); its credentials are throwaway and its data is made up`);
  }
  if (!Number.isInteger(port) || port > 65535) throw new UsageError(`Expected --port to be an integer from 0 to 65535 (0: any free port), got \`${port}\``);
}

async function listen(options: EmulatorCommandOptions): Promise<RunningEmulator> {
  const { seed, host, port, ...knobs } = options;
  const seedValue = seed === undefined ? undefined : await loadSeed(seed);
  try {
    return await startEmulator({ ...knobs, host: host.replace(/^\[(.*)\]$/, '$1'), port, ...(seedValue ? { seed: seedValue } : {}) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new ConfigError('--port', `port ${port} is in use on ${host}; stop what holds it, or pick another port (--port 0 picks a free one)`);
    if (code === 'EACCES') throw new ConfigError('--port', `port ${port} on ${host} needs privileges this user lacks; pick a port above 1023 (--port 0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL') throw new ConfigError('--host', `${host} is not an address of this machine; use 127.0.0.1`);
    throw e;
  }
}

/** `zdlabels emulator`: serves until interrupted, after printing how to point zdlabels at it. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: Io): Promise<number> {
  checkAddress(options.host, options.port);
  const emulator = await listen(options);
  const s = emulator.state;
  io.stdout.write(
    [
      `Zoho Desk emulator listening on ${emulator.url}`,
      `  ${s.organizations.length} organization(s), ${s.helpCenters.length} help center(s), ${s.labels.size} label(s), ${s.users.size} user(s), ${s.pairCount()} label assignment(s)`,
      '',
      "Point zdlabels at it (these are the emulator's own throwaway credentials):",
      ...Object.entries(emulator.env).map(([k, v]) => `  export ${k}=${v}`),
      '',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  await io.interrupted();
  await emulator.close();
  io.stderr.write(`emulator stopped after ${emulator.calls.length} API call(s)\n`);
  return 0;
}
