import cliProgress from 'cli-progress';
import { terminalTouched } from '../terminal.js';

export interface Progress {
  tick(rows: number, calls: number): void;
  stop(): void;
}

/**
 * Progress on stderr: a live bar on a TTY, otherwise a plain line every few
 * seconds (cron and CI logs stay readable).
 */
export function startProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, options: { everyMs?: number; env?: NodeJS.ProcessEnv } = {}): Progress {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: 'removing [{bar}] {value}/{total} rows | {calls} calls | {duration_formatted}', hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    // The bar hides the cursor and turns line wrap off; a second Ctrl-C must still put them back.
    const restored = terminalTouched(stream);
    bar.start(total, 0, { calls: 0 });
    return {
      tick: (rows, calls) => bar.update(rows, { calls }),
      stop: () => {
        bar.stop();
        restored();
      },
    };
  }
  const started = Date.now();
  let rows = 0;
  let calls = 0;
  const timer = setInterval(() => {
    stream.write(`progress: ${rows}/${total} rows, ${calls} calls, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }, options.everyMs ?? 5000);
  timer.unref();
  return {
    tick: (r, c) => {
      rows = r;
      calls = c;
    },
    stop: () => clearInterval(timer),
  };
}
