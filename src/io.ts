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
   * Resolves when the user asks to stop (Ctrl-C, SIGTERM). Only a command that
   * calls it handles the first signal itself (a run stops sending and writes its
   * results); others keep the default, and a second signal always ends the process.
   */
  interrupted: () => Promise<void>;
}

export function processIo(): Io {
  let interrupted: Promise<void> | undefined;
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    interrupted: () =>
      (interrupted ??= new Promise((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      })),
  };
}
