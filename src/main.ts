#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { processIo } from './io.js';
import { run } from './run.js';

// The only place that exits the process.
const code = await run(hideBin(process.argv), processIo());
process.exitCode = code;
// Let stdout/stderr drain, then leave even if a keep-alive socket lingers.
setImmediate(() => process.exit(code));
