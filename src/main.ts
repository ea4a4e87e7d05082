#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { processIo } from './io.js';
import { runCli } from './runCli.js';
import { restoreTerminals } from './terminal.js';

// Whatever the way out (an error, a crash), the terminal gets its cursor and line wrap back.
process.on('exit', restoreTerminals);
const io = processIo();
// The only place that exits the process. A reader of stdout/stderr gone away
// (`| head -1`) ends a command that is not stopping on it quietly, with 0.
const code = await Promise.race([runCli(hideBin(process.argv), io), io.quiet.then(() => 0)]);
process.exitCode = code;
// Let stdout/stderr drain (a failed write reports itself by then), then leave
// even if a keep-alive socket lingers.
setImmediate(() => {
  const failure = io.outputFailure();
  if (failure === undefined) process.exit(code);
  // Output lost for another reason than a reader that left (a full disk): say so if stderr still works, and never exit 0.
  process.stderr.write(`zdlabels: ${failure}; the output is incomplete\n`);
  process.exit(code === 0 ? 1 : code);
});
