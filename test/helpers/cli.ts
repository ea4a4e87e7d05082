import { PassThrough } from 'node:stream';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../src/runCli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs zdlabels in-process with its own streams, environment and working directory. */
export async function cli(argv: string[], options: { env?: Record<string, string>; cwd: string; ttyAnswer?: string }): Promise<CliResult> {
  const tty = options.ttyAnswer !== undefined;
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let out = '';
  let err = '';
  let answered = false;
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
    // a person at a terminal answers the first question once
    if (tty && !answered && err.includes('[y/N]')) {
      answered = true;
      stdin.write(`${options.ttyAnswer}\n`);
    }
  });
  const code = await runCli(argv, { stdin, stdout, stderr, env: options.env ?? {}, cwd: options.cwd, interrupted: () => new Promise(() => {}) });
  return { code, stdout: out, stderr: err };
}

export { tempDir } from './tempDirs.js';

/** Writes a CSV of pairs (header user_id,label_id) and returns its path. */
export async function writePairs(dir: string, pairs: [string, string][], name = 'pairs.csv'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, ['user_id,label_id', ...pairs.map(([u, l]) => `${u},${l}`)].join('\n') + '\n');
  return file;
}

export type ResultRow = Record<'row' | 'user_id' | 'label_id' | 'status' | 'http_status' | 'error_code' | 'message' | 'attempts' | 'batch_id' | 'finished_at', string>;

export async function readResults(file: string): Promise<ResultRow[]> {
  return parse(await readFile(file, 'utf8'), { columns: true }) as ResultRow[];
}
