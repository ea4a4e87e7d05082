import { loadSeed } from '../emulator/seed.js';
import { startEmulator } from '../emulator/server.js';
import type { EmulatorKnobs } from '../emulator/options.js';
import type { Io } from '../io.js';

export interface EmulatorCommandOptions extends Partial<EmulatorKnobs> {
  seed?: string | undefined;
  host: string;
  port: number;
}

/** `zdlabels emulator`: serves until interrupted, after printing how to point zdlabels at it. */
export async function emulatorCommand(options: EmulatorCommandOptions, io: Io): Promise<number> {
  const { seed, host, port, ...knobs } = options;
  const emulator = await startEmulator({
    ...knobs,
    host,
    port,
    ...(seed === undefined ? {} : { seed: await loadSeed(seed) }),
  });
  const s = emulator.state;
  io.stdout.write(
    [
      `Zoho Desk emulator listening on ${emulator.url}`,
      `  ${s.organizations.length} organization(s), ${s.helpCenters.length} help center(s), ${s.labels.size} label(s), ${s.users.size} user(s), ${s.pairs().length} label assignment(s)`,
      '',
      'Point zdlabels at it (these are the emulator\'s own throwaway credentials):',
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
