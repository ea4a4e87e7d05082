import type { RunningEmulator } from '../src/emulator/server.js';
import { listAll, paginate } from '../src/zoho/pager.js';
import { defaultSeed } from '../src/emulator/seed.js';
import { clientFor, withEmulator } from './helpers/emulator.js';

const label = '24073000002958013'; // 80 members in the default seed

describe('paging the list endpoints', () => {
  let emulator: RunningEmulator;
  afterEach(() => emulator.close());

  test('a label with more than 50 members comes back whole, in pages of at most 50', async () => {
    ({ emulator } = await withEmulator());
    const members = await listAll(clientFor(emulator), 'listLabelUsers', { path: { labelId: label } });
    expect(members).toHaveLength(80);
    expect(new Set(members.map((m) => m.id)).size).toBe(80);
    expect(members[0]?.id).toBe('1060099000000334001');
    expect(emulator.calls.map((c) => c.query)).toEqual([
      { from: '1', limit: '50' },
      { from: '51', limit: '50' },
    ]);
  });

  test.each(['204', 'data'] as const)('exactly 100 members: the list ends on an empty page answered as %s', async (emptyPage) => {
    const seed = defaultSeed();
    seed.memberships = [{ labelId: label, userIds: seed.users.slice(0, 100).map((u) => u.id) }];
    ({ emulator } = await withEmulator({ seed, emptyPage }));
    const members = await listAll(clientFor(emulator), 'listLabelUsers', { path: { labelId: label } });
    expect(members).toHaveLength(100);
    expect(emulator.calls.map((c) => [c.query.from, c.status])).toEqual([
      ['1', 200],
      ['51', 200],
      ['101', emptyPage === '204' ? 204 : 200],
    ]);
  });

  test('an empty label answered with 204 is an empty list', async () => {
    const seed = defaultSeed();
    seed.memberships = [];
    ({ emulator } = await withEmulator({ seed }));
    expect(await listAll(clientFor(emulator), 'listLabelUsers', { path: { labelId: label } })).toEqual([]);
    expect(emulator.calls.map((c) => c.status)).toEqual([204]);
  });

  test('a page size over 50 is refused before any call', async () => {
    ({ emulator } = await withEmulator());
    const pages = paginate(clientFor(emulator), 'listLabels', {}, 100);
    await expect(pages.next()).rejects.toThrow('Expected `pageSize` to be an integer from 1 to 50, got `100`');
    expect(emulator.calls).toHaveLength(0);
  });

  test("a user's labels and the org's labels page the same way", async () => {
    ({ emulator } = await withEmulator());
    const client = clientFor(emulator);
    const labels = await listAll(client, 'listUserLabels', { path: { userId: '1060099000000334045' } });
    expect(labels.map((l) => l.id)).toEqual(['24073000002958013', '24073000002958023']);
    const all = await listAll(client, 'listLabels', { query: { helpCenterId: '24073000002886005' } });
    expect(all.map((l) => [l.id, l.count])).toEqual([
      ['24073000002958013', '80'],
      ['24073000002958023', '80'],
      ['24073000002958029', '10'],
    ]);
  });
});
