// An error that wraps another keeps it in `cause` (ky's habit), so a bug report
// shows the system's own error; the message a user reads stays ours. And a seed
// naming a label it lacks is an input error, never a crash.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSeed } from '../src/emulator/seed.js';
import { startEmulator } from '../src/emulator/server.js';
import { ConfigError } from '../src/errors/ConfigError.js';
import { InputError } from '../src/errors/InputError.js';
import { TokenRefreshError } from '../src/errors/TokenRefreshError.js';
import { ZohoApiError } from '../src/errors/ZohoApiError.js';
import { loadJob } from '../src/jobs/loadJob.js';
import { readPairs } from '../src/rows/readPairs.js';
import { TokenSource } from '../src/zoho/auth.js';
import { configFromEnv } from '../src/zoho/config.js';
import { clientFor, rejection } from './helpers/emulator.js';
import { tempDir } from './helpers/tempDirs.js';

const codeOf = (e: unknown): unknown => ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
// Errors of Node's own (URL, fetch) come from another realm than jest's test globals: judged by name, not instanceof.
const causeName = (e: unknown): unknown => ((e as Error).cause as Error | undefined)?.name;

test('files that cannot be read: the InputError keeps the system error', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'folder.json'));
  const missing = await rejection(readPairs(join(dir, 'none.csv')));
  expect([missing instanceof InputError, codeOf(missing)]).toEqual([true, 'ENOENT']);
  const folder = await rejection(loadJob(join(dir, 'folder.json')));
  expect([folder instanceof InputError, (folder as Error).message, codeOf(folder)]).toEqual([true, `${join(dir, 'folder.json')}: is a directory, not a job file`, 'EISDIR']);
  const seed = await rejection(loadSeed(join(dir, 'none.json')));
  expect([seed instanceof InputError, codeOf(seed)]).toEqual([true, 'ENOENT']);
});

test('a job file that is not JSON keeps no cause: the parser quotes the text around the bad token, which may be a secret', async () => {
  const file = join(await tempDir(), 'job.json');
  await writeFile(file, '{"name": "j", "clientSecret": 1000.abcdef0123456789abcdef}');
  const e = await rejection(loadJob(file));
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).cause).toBeUndefined();
  expect(JSON.stringify(e, Object.getOwnPropertyNames(e))).not.toContain('abcdef0123456789');
});

test('a URL setting that is not a URL: the ConfigError keeps the URL parser error', () => {
  const e = (() => {
    try {
      configFromEnv({ ZOHO_DESK_URL: 'desk.zoho.eu', ZOHO_ORG_ID: '1', ZOHO_ACCESS_TOKEN: 'x' });
    } catch (error) {
      return error;
    }
    throw new Error('expected a ConfigError');
  })();
  expect(e).toBeInstanceOf(ConfigError);
  expect([causeName(e), codeOf(e)]).toEqual(['TypeError', 'ERR_INVALID_URL']);
});

test('Desk and Accounts out of reach: the API and token errors keep the network error', async () => {
  const emulator = await startEmulator();
  const client = clientFor(emulator, { timeoutMs: 5000 });
  await client.tokens.get();
  await emulator.close();
  const call = await rejection(client.call('getLabel', { path: { labelId: '24073000002958023' } }));
  expect([call instanceof ZohoApiError && call.errorCode, causeName(call)]).toEqual(['NETWORK', 'TypeError']);
  const tokens = new TokenSource({ accountsUrl: emulator.url, credentials: { kind: 'refresh', ...emulator.credentials } });
  const refresh = await rejection(tokens.get());
  expect([refresh instanceof TokenRefreshError, causeName(refresh)]).toEqual([true, 'TypeError']);
});

test('a seed whose membership names a label it lacks is an InputError naming the path, not a crash', async () => {
  const e = await rejection(
    startEmulator({
      seed: {
        organizations: [{ id: '1' }],
        helpCenters: [{ id: '2', name: 'H', orgId: '1' }],
        labels: [{ id: '3', name: 'L', helpCenterId: '2' }],
        users: [{ id: '4', name: 'U', email: 'u@x.io' }],
        memberships: [{ labelId: '9', userIds: ['4'] }],
      },
    }),
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as Error).message).toContain('/memberships/0/labelId: unknown label 9');
});
