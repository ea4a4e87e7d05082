import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'csv-parse/sync';

describe('zdlabels demo (the README\'s first command)', () => {
  test('runs the demo job against the emulator and confirms the final state', async () => {
    const r = spawnSync(process.execPath, ['dist/main.js', 'demo'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect([r.status, r.stderr]).toEqual([0, expect.stringContaining('18 rows → 15 removed, 1 invalid, 1 duplicate, 1 not_found')]);
    expect(r.stdout).toContain('✔ confirmed from the emulator\'s state: exactly the 15 requested pairs are gone; the other 36 assignments are untouched');
    expect(r.stdout).toMatch(/row \d+: invalid — .*scientific notation/);
    // the results file is printed, and its temporary folder is gone once the demo ends
    const [, out, block] = /results file \((\S+), [^\n]*\n((?:  .*\n)+)/.exec(r.stdout) ?? [];
    const rows = parse(block!.replace(/^  /gm, ''), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(18);
    expect(rows.filter((x) => x.status === 'removed')).toHaveLength(15);
    expect(existsSync(dirname(out!))).toBe(false);
  });
});
