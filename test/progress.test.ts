import { jest } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { startProgress } from '../src/run/progress.js';

function sink(isTTY: boolean): PassThrough & { isTTY: boolean; text: () => string } {
  const s = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return Object.assign(s, { text: () => text });
}

/** Lets the stream hand on what was written (its events run on the real event loop). */
const flushed = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the faked clock (timers and Date.now) on by `ms`, then lets the output arrive. */
async function advance(ms: number): Promise<void> {
  jest.advanceTimersByTime(ms);
  await flushed();
}

describe('progress on stderr', () => {
  // a faked clock: the test decides when the timers fire and what time it is, instead of sleeping and hoping
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-05T09:00:00.000Z'), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  test('without a TTY: a plain line every few seconds, nothing else', async () => {
    const s = sink(false);
    const p = startProgress(s, 100, { everyMs: 1000 });
    p.tick(10, 1);
    await advance(999);
    expect(s.text()).toBe(''); // not before its time
    await advance(1);
    p.tick(60, 6);
    await advance(1000);
    p.stop();
    expect(s.text()).toBe('progress: 10/100 rows, 1 calls, 1 s\nprogress: 60/100 rows, 6 calls, 2 s\n');
    expect(s.text()).not.toContain('\u001b[');
    await advance(10_000);
    expect(s.text()).toBe('progress: 10/100 rows, 1 calls, 1 s\nprogress: 60/100 rows, 6 calls, 2 s\n'); // stopped means stopped
  });

  test('on a TTY: a live bar', async () => {
    const s = sink(true);
    const p = startProgress(s, 100);
    p.tick(50, 3);
    await advance(500);
    p.stop();
    await flushed();
    expect(s.text()).toMatch(/removing \[.*\] 50\/100 rows \| 3 calls/);
  });
});
