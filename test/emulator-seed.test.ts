// Seeds: checked against their JSON Schema and for references, every problem
// listed with its path; a bad seed is exit 2, never a crash.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../src/errors/InputError.js';
import { defaultSeed, loadSeed, parseSeed, type Seed } from '../src/emulator/seed.js';
import { startEmulator } from '../src/emulator/server.js';
import { cli, tempDir } from './helpers/cli.js';
import { rejection } from './helpers/emulator.js';

const base = (): Seed => ({
  organizations: [{ id: '55' }],
  helpCenters: [{ id: '66', name: 'HC', orgId: '55' }],
  labels: [{ id: '77', name: 'L', helpCenterId: '66' }],
  users: [{ id: '88', name: 'U', email: 'u@x.io' }],
  memberships: [{ labelId: '77', userIds: ['88'] }],
});

const problemsOf = (value: unknown): string => {
  try {
    parseSeed(value, 'seed.json');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('the seed was accepted');
};

describe('emulator seeds', () => {
  test('the built-in seed and a seed with statuses, activity and help centers are valid', () => {
    expect(parseSeed(defaultSeed(), 'default')).toEqual(defaultSeed());
    const seed = base();
    seed.users.push({ id: '89', name: 'V', email: 'v@x.io', status: 'DELETED', lastAccessedTime: null, helpCenterIds: ['66'] });
    seed.users.push({ id: '90', name: 'W', email: 'w@x.io', lastAccessedTime: '2025-12-01T10:00:00Z' });
    expect(() => parseSeed(seed, 's')).not.toThrow();
  });

  test('the demo seed has disabled and deleted members and users with no activity, for prune demos', async () => {
    const demo = await loadSeed('fixtures/demo/seed.json');
    const members = new Set((demo.memberships ?? []).flatMap((m) => m.userIds));
    const of = (status: string) => demo.users.filter((x) => x.status === status && members.has(x.id)).length;
    expect([of('DISABLED'), of('DELETED')]).toEqual([3, 2]);
    expect(demo.users.filter((x) => x.lastAccessedTime === null)).toHaveLength(3);
  });

  test('every schema problem is listed with its JSON path', () => {
    const message = problemsOf({
      organizations: [{ id: 'abc' }],
      helpCenters: [],
      labels: [{ id: 77, name: 'L', helpCenterId: '66' }],
      users: [{ id: '88', name: 'U', email: 'u@x.io', status: 'GONE', lastAccessedTime: 'yesterday', colour: 'red' }],
      extra: true,
    });
    expect(message).toContain('seed.json: not a valid emulator seed');
    for (const line of [
      '/: unknown key `extra`',
      '/organizations/0/id: must be a string of digits (a Zoho ID), got "abc"',
      '/helpCenters: needs at least 1 item',
      '/labels/0/id: must be a string of digits, got the number 77',
      '/users/0/status: "GONE" is not allowed; allowed: "ACTIVE", "DISABLED", "DELETED"',
      '/users/0/lastAccessedTime: "yesterday" is not an ISO instant like 2026-01-05T09:00:00.000Z',
      '/users/0: unknown key `colour`',
    ]) expect(message).toContain(line);
    expect(message).not.toContain('expected null');
  });

  test('references to labels, users, help centers and organizations the seed lacks are listed with their paths', () => {
    const seed = base();
    seed.memberships = [{ labelId: '70', userIds: ['88', '80'] }];
    seed.labels.push({ id: '78', name: 'M', helpCenterId: '60' });
    seed.users.push({ id: '88', name: 'Twin', email: 't@x.io', helpCenterIds: ['61'] });
    const message = problemsOf(seed);
    for (const line of [
      '/memberships/0/labelId: unknown label 70',
      '/memberships/0/userIds/1: unknown user 80',
      '/labels/1/helpCenterId: unknown help center 60',
      '/users/1/helpCenterIds/0: unknown help center 61',
      '/users/1/id: user 88 is already at /users/0',
    ]) expect(message).toContain(line);
  });

  test('a seed handed to startEmulator that names an unknown user is an InputError, not a crash', async () => {
    const seed = base();
    seed.memberships = [{ labelId: '77', userIds: ['81'] }];
    const e = await rejection(startEmulator({ seed }));
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toContain('/memberships/0/userIds/0: unknown user 81');
  });

  test('a seed of thousands of bad IDs lists the first 20 and stops', () => {
    const seed = base();
    seed.memberships = [{ labelId: '77', userIds: Array.from({ length: 5000 }, (_, i) => String(1000 + i)) }];
    const message = problemsOf(seed);
    expect(message.split('\n').filter((l) => l.includes('unknown user'))).toHaveLength(20);
    expect(message).toContain('... and more');
  });

  test('`zdlabels emulator --seed` with a bad file exits 2 naming the file and each problem, no stack trace', async () => {
    const dir = await tempDir();
    const seedFile = join(dir, 'seed.json');
    const seed = base();
    seed.memberships = [{ labelId: '70', userIds: ['80'] }];
    await writeFile(seedFile, JSON.stringify(seed));
    const r = await cli(['emulator', '--seed', seedFile], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(seedFile);
    expect(r.stderr).toContain('/memberships/0/labelId: unknown label 70');
    expect(r.stderr).toContain('/memberships/0/userIds/0: unknown user 80');
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    await writeFile(seedFile, '{"organizations": [');
    const notJson = await cli(['emulator', '--seed', seedFile], { cwd: dir });
    expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringContaining('not JSON')]);
  });
});
