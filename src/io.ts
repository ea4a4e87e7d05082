import { restoreTerminals } from './terminal.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** `--log-format`: text for people (default), json for log shippers. */
  logFormat?: 'text' | 'json';
  /**
   * Resolves when the run should stop: the user asks (Ctrl-C, SIGTERM), or the
   * reader of stdout or stderr has gone away (EPIPE). Only a command that calls
   * it handles these itself (a run stops sending and writes its results); for
   * the others a signal ends the process and a gone reader ends it quietly. A
   * second signal always ends the process.
   */
  interrupted: () => Promise<void>;
}

export interface ProcessIo extends Io {
  /** Resolves when stdout or stderr can no longer be written and no command is stopping on it: main.ts then exits. */
  quiet: Promise<void>;
  /** Why a write to stdout or stderr failed, when it was not that the reader went away (a full disk): the exit is then not 0. */
  outputFailure: () => string | undefined;
}

/** The process's Io: signals, and output that can no longer be written, as described on Io.interrupted. */
export function processIo(): ProcessIo {
  let stop: (() => void) | undefined;
  let interrupted: Promise<void> | undefined;
  let leave!: () => void;
  const quiet = new Promise<void>((resolve) => (leave = resolve));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (stop !== undefined && signals === 1) {
      stop();
      return;
    }
    // The default action, after putting the terminal back: end at once, by this signal.
    restoreTerminals();
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `zdlabels doctor | head -1`: the reader is gone (EPIPE). Nothing more can be shown: stop, without a trace.
  // Any other failure (ENOSPC: stdout redirected to a full disk) stops the same way, but is not a success.
  let failure: string | undefined;
  const onOutputError = (name: string) => (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') failure ??= `cannot write to ${name} (${error.code ?? error.message})`;
    (stop ?? leave)();
  };
  process.stdout.on('error', onOutputError('stdout'));
  process.stderr.on('error', onOutputError('stderr'));
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    quiet,
    outputFailure: () => failure,
    interrupted: () => (interrupted ??= new Promise<void>((resolve) => (stop = resolve))),
  };
}
