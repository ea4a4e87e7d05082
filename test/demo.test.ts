import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';

describe('zdlabels demo (the README\'s first command)', () => {
  test('runs the demo job against the emulator and confirms the final state', async () => {
    const r = spawnSync(process.execPath, ['dist/main.js', 'demo'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('18 rows → 15 removed, 1 invalid, 1 duplicate, 1 not_found')]);
    expect(r.stdout).toContain('✔ confirmed from the emulator\'s state: exactly the 15 requested pairs are gone; the other 36 assignments are untouched');
    expect(r.stdout).toMatch(/row \d+: invalid — .*scientific notation/);
    const out = /results: (\S+)/.exec(r.stdout)?.[1];
    const rows = parse(await readFile(out!, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(18);
  });
});
