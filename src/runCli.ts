import { buildCli } from './cli.js';
import { checkArgv, wantsJsonLogs } from './commands/argvChecks.js';
import { sessionKey, type Session } from './commands/commandModule.js';
import { CommandLineError } from './errors/CommandLineError.js';
import { ZdlabelsError } from './errors/ZdlabelsError.js';
import { ZohoApiError } from './errors/ZohoApiError.js';
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
      const advice = adviceFor(error);
      if (io.logFormat === 'json') io.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), event: 'error', code: error.code, message: error.message, ...(advice ? { advice } : {}), exitCode })}\n`);
      else {
        io.stderr.write(`zdlabels: ${error.message}\n`);
        if (advice) io.stderr.write(`${advice}\n`);
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

/**
 * What to do after an error that ended a command before its run could stop
 * cleanly. Spent credits reach here only from the reads before any write (a
 * run's own stop says when to resume): say when to try again.
 */
function adviceFor(error: ZdlabelsError): string | undefined {
  if (!(error instanceof ZohoApiError) || error.kind !== 'credits') return undefined;
  const when = error.retryAfterSeconds ? ` (Zoho says in about ${Math.ceil(error.retryAfterSeconds / 60)} min)` : '';
  return `The organization's API credits for the day are spent; Zoho gives them back at 00:00 in the data centre's time zone${when}. Run the same command again then.`;
}
