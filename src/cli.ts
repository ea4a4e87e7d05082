import yargs, { type Argv } from 'yargs';
import { sessionOf } from './commands/commandModule.js';
import { demoCommand } from './commands/demo.js';
import { doctorCommand } from './commands/doctor.js';
import { emulatorCommand } from './commands/emulator.js';
import { exportCommand } from './commands/export.js';
import { pruneCommand } from './commands/prune.js';
import { reconcileCommand } from './commands/reconcile.js';
import { removeCommand } from './commands/remove.js';
import { restoreCommand } from './commands/restore.js';
import { retireLabelCommand } from './commands/retireLabel.js';
import { runJobCommand } from './commands/runJob.js';
import { schemaCommand } from './commands/schema.js';
import { CommandLineError } from './errors/CommandLineError.js';
import { toolVersion } from './version.js';

/** The command line: the commands' own modules (src/commands/<name>.ts), and what all of them share. */
export function buildCli(): Argv {
  return yargs()
    // Numbers are read by our own check (optionValues.ts), as typed: yargs would turn `1e3` into 1000 and `0x10` into 16.
    .parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false })
    .scriptName('zdlabels')
    .usage('$0 <command> [options]\n\nRemove Zoho Desk Help Center users from labels in bulk, from a CSV file.\nNever deletes a label, never touches badges.')
    .command(removeCommand)
    .command(exportCommand)
    .command(retireLabelCommand)
    .command(reconcileCommand)
    .command(pruneCommand)
    .command(restoreCommand)
    .command(runJobCommand)
    .command(schemaCommand)
    .command(doctorCommand)
    .command(demoCommand)
    .command(emulatorCommand)
    .option('log-format', { choices: ['text', 'json'] as const, default: 'text' as const, global: true, describe: 'text for people; json: one object per event on stderr' })
    .middleware((a) => {
      sessionOf(a).io.logFormat = a['log-format'];
    })
    .demandCommand(1, 'Name a command; `zdlabels --help` lists them.')
    .strict()
    .help()
    .version(toolVersion)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .exitProcess(false)
    .fail((msg: string | undefined, err: Error | undefined) => {
      // yargs rethrows an option's coerce error as a YError with the same message: still a bad command line.
      if (err?.name === 'YError') throw new CommandLineError(err.message);
      if (err) throw err;
      throw new CommandLineError(msg ?? 'bad usage');
    });
}
