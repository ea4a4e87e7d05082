import type { Io } from './io.js';

/**
 * Where a run talks to people and schedulers (stderr). In text mode: lines for
 * people, events only with --verbose. In json mode (`--log-format json`): one
 * JSON object per line, every line parseable, for log shippers.
 */
export interface Logger {
  readonly json: boolean;
  /** A line for people; a `message` event in json mode. */
  say(message: string): void;
  /** A structured event; in text mode printed (as `text`, if given) only when verbose or `always`. */
  event(name: string, fields: Record<string, unknown>, text?: { line: string; always?: boolean }): void;
}

export function loggerFor(io: Io, verbose = false): Logger {
  const json = io.logFormat === 'json';
  const write = (o: Record<string, unknown>) => io.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), ...o })}\n`);
  return {
    json,
    say(message) {
      if (json) write({ event: 'message', message });
      else io.stderr.write(`${message}\n`);
    },
    event(name, fields, text) {
      if (json) write({ event: name, ...fields });
      else if (text && (verbose || text.always)) io.stderr.write(`${text.line}\n`);
      else if (!text && verbose) io.stderr.write(`${name} ${JSON.stringify(fields)}\n`);
    },
  };
}

/** ANSI colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function colours(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): { green: (s: string) => string; red: (s: string) => string; bold: (s: string) => string } {
  const on = stream.isTTY === true && (env.NO_COLOR ?? '') === '';
  const wrap = (code: number, reset: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[${reset}m` : s);
  return { green: wrap(32, 39), red: wrap(31, 39), bold: wrap(1, 22) };
}
