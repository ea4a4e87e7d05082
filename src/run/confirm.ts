import { createInterface } from 'node:readline/promises';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';

/**
 * Asks a yes/no question on the terminal. Without a TTY it never prompts and
 * answers no: unattended runs must say --yes.
 */
export async function confirm(io: Io, question: string): Promise<boolean> {
  if (!io.stdin?.isTTY || !io.stderr.isTTY) {
    loggerFor(io).say(`${question} — no terminal to ask on; pass --yes to proceed unattended.`);
    return false;
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
