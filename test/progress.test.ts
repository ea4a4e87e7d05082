import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProgress } from '../src/run/progress.js';

function sink(isTTY: boolean): PassThrough & { isTTY: boolean; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return Object.assign(s, { text: () => text });
}

describe('progress on stderr', () => {
  test('without a TTY: a plain line every few seconds, nothing else', async () => {
    const s = sink(false);
    const p = startProgress(s, 100, { everyMs: 40 });
    p.tick(10, 1);
    await sleep(60);
    p.tick(60, 6);
    await sleep(50);
    p.stop();
    const lines = s.text().trim().split('\n');
    expect(lines[0]).toMatch(/^progress: 10\/100 rows, 1 calls, \d+ s$/);
    expect(lines.at(-1)).toMatch(/^progress: 60\/100 rows, 6 calls/);
    expect(s.text()).not.toContain('\u001b[');
    const after = s.text();
    await sleep(60);
    expect(s.text()).toBe(after); // stopped means stopped
  });

  test('on a TTY: a live bar', async () => {
    const s = sink(true);
    const p = startProgress(s, 100);
    p.tick(50, 3);
    await sleep(120);
    p.stop();
    expect(s.text()).toMatch(/removing \[.*\] 50\/100 rows \| 3 calls/);
  });
});
