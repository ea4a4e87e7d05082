import { buildCli } from './cli.js';
import { checkArgv, wantsJsonLogs } from './commands/argvChecks.js';
import { sessionKey, type Session } from './commands/commandModule.js';
import { CommandLineError } from './errors/CommandLineError.js';
import { ZdlabelsError } from './errors/ZdlabelsError.js';
import { exitCodeFor, exitCodes } from './exitCodes.js';
import type { Io } from './io.js';

/** Runs one command line and returns the exit code; never exits the process itself. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const session: Session = { io };
  if (wantsJsonLogs(argv)) io.logFormat = 'json';
  try {
    checkArgv(argv);
    await buildCli().parseAsync(argv, { [sessionKey]: session });
    // --help and --version print and choose nothing.
    return session.work ? await session.work(io) : 0;
  } catch (error) {
    if (error instanceof ZdlabelsError) {
      const exitCode = exitCodeFor(error.code);
      if (io.logFormat === 'json') io.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), event: 'error', code: error.code, message: error.message, exitCode })}\n`);
      else {
        io.stderr.write(`zdlabels: ${error.message}\n`);
        // Only a malformed command line is helped by the usage text; a wrong value (no such label) is not.
        if (error instanceof CommandLineError) io.stderr.write('Run `zdlabels --help` for usage.\n');
      }
      return exitCode;
    }
    // Not one of ours: a bug. Show everything so it can be reported.
    io.stderr.write(`zdlabels: internal error, please report it:\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return exitCodes.internalError;
  }
}
