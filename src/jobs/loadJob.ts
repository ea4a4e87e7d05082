import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { InputError } from '../errors/InputError.js';
import { isEnvVariableName } from '../zoho/config.js';
import type { Job } from './job.js';
import { jobSchema } from './jobSchema.js';

// Compiled on first use: most commands never read a job.
let compiled: ValidateFunction<Job> | undefined;
const validator = (): ValidateFunction<Job> =>
  (compiled ??= new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false }).compile<Job>(jobSchema));

/** Why a schema error happened, in terms of what is allowed. */
function explain(e: ErrorObject, job: Record<string, unknown>): string {
  const at = e.instancePath || '/';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${at}: missing \`${String(p.missingProperty)}\`${typeof job.action === 'string' ? ` (needed by action ${job.action})` : ''}`;
    case 'additionalProperties': {
      const parent = e.instancePath === '' ? Object.keys(jobSchema.properties) : e.instancePath === '/env' ? Object.keys(jobSchema.properties.env.properties) : [];
      return `${at}: unknown key \`${String(p.additionalProperty)}\`; allowed: ${parent.join(', ')}`;
    }
    case 'false schema':
      return `${at}: not used by action ${String(job.action)}; remove it`;
    case 'enum':
      return `${at}: ${JSON.stringify(e.data)} is not allowed; allowed: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern':
      return `${at}: ${JSON.stringify(e.data)} does not match ${String(p.pattern)}${at.endsWith('Id') || at === '/label' || at.startsWith('/labels') ? ' (a Zoho ID: digits only, as a string)' : at === '/out' ? ' (placeholders: {job}, {date}, {time})' : ''}`;
    case 'type':
      if (typeof e.data === 'number' && /Id$|^\/label/.test(at)) return `${at}: expected a string, got a number (write IDs as strings: 17-19 digit numbers lose digits in JSON)`;
      return `${at}: expected ${String(p.type)}, got ${JSON.stringify(e.data)}`;
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
      return `${at}: must be ${{ minimum: '≥', exclusiveMinimum: '>', maximum: '≤' }[e.keyword]} ${String(p.limit)}, got ${JSON.stringify(e.data)}`;
    case 'oneOf':
      return `${at}: ${String(job.action)} needs either \`labels\` or \`allLabels: true\`, not both`;
    case 'anyOf':
      return `${at}: prune needs a rule: \`status\`, \`inactiveSince\` or \`inactiveFor\``;
    case 'not':
      return `${at}: give \`inactiveSince\` or \`inactiveFor\`, not both`;
    default:
      return `${at}: ${e.message ?? e.keyword}`;
  }
}

// A secret never belongs in a job file: names of keys and shapes of values that give one away.
const SECRET_KEY = /secret|token|password|passwd|api[-_]?key|credential/i;
const SECRET_VALUE = /^1000\.[0-9a-f]{16,}/i;

const TOKEN_SHAPED = 'this looks like a Zoho token; a job file must not hold secrets, only the names of the environment variables that do (under `env`)';
const NOT_A_NAME =
  'must name an environment variable (capital letters, digits and _, e.g. HR_SYNC_ZOHO_CLIENT_SECRET); what is here is not a variable name and may be the secret itself, so it is not shown. Put the value in an environment variable and give that variable\'s name here';

function findSecrets(value: unknown, path: string, out: string[]): void {
  // Under `env` every value must be a variable's name; anything else may be a secret and is never echoed.
  if (path.startsWith('/env/')) {
    if (typeof value === 'string' && SECRET_VALUE.test(value)) out.push(`${path}: ${TOKEN_SHAPED}`);
    else if (!isEnvVariableName(value)) out.push(`${path}: ${NOT_A_NAME}`);
  } else if (path === '/env' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    out.push('/env: must map setting names (ZOHO_CLIENT_SECRET …) to the names of the environment variables that hold them; what is here is not shown');
  } else if (Array.isArray(value)) value.forEach((v, i) => findSecrets(v, `${path}/${i}`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = `${path}/${k}`;
      // Under `env` the keys are variable names (ZOHO_REFRESH_TOKEN …): only their values are checked.
      if (path !== '/env' && SECRET_KEY.test(k)) out.push(`${here}: a job file must not hold secrets; put the value in an environment variable and name that variable under \`env\``);
      else findSecrets(v, here, out);
    }
  } else if (typeof value === 'string' && SECRET_VALUE.test(value)) {
    out.push(`${path}: ${TOKEN_SHAPED}`);
  }
}

/**
 * JSON.parse, with an error that gives the line and column but never quotes the
 * text: V8 quotes the file around a bad token, which may be a secret pasted unquoted.
 */
function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const before = text.slice(0, position ? Number(position[1]) : 0).split('\n');
    const where = position ? ` at line ${before.length}, column ${before.at(-1)!.length + 1}` : '';
    const token = /^Unexpected token '(.)'/su.exec(message);
    const what = token ? `unexpected character '${token[1]}' (a value without its quotes?)` : message.replace(/ in JSON at position \d+.*$/s, '');
    // No `cause`: the SyntaxError's message quotes the text around the bad token, which may be a secret.
    throw new InputError(file, undefined, `not valid JSON${where}: ${what}`);
  }
}

/**
 * Reads and checks a job file (a UTF-8 byte order mark, as Windows Notepad
 * writes, is allowed). Every problem is listed with its JSON path and what is
 * allowed, in one InputError (exit 2).
 */
export async function loadJob(file: string): Promise<Job> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, undefined, code === 'ENOENT' ? 'no such job file' : code === 'EISDIR' ? 'is a directory, not a job file' : `cannot read the job file (${code ?? String(error)})`, { cause: error });
  }
  return checkJob(parseJson(file, text.replace(/^\uFEFF/, '')), file);
}

/** Checks a job value (a file's, or one with command-line overrides merged in); `source` names it in the error. */
export function checkJob(json: unknown, source: string): Job {
  const problems: string[] = [];
  findSecrets(json, '', problems);
  // A secret's own schema errors would quote it: its path is reported once, above, without the value.
  const secretPaths = problems.map((p) => p.slice(0, p.indexOf(':')));
  const validate = validator();
  if (!validate(json)) {
    const job = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
    for (const e of validate.errors ?? []) {
      // `if` errors only say that a `then` failed; the `then` errors themselves are listed.
      if (e.keyword === 'if' || secretPaths.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`))) continue;
      problems.push(explain(e, job));
    }
  }
  if (problems.length > 0) {
    throw new InputError(source, undefined, `invalid job (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  return json as Job;
}
