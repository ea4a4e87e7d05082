import { existsSync } from 'node:fs';
import { ConfigError } from '../errors/ConfigError.js';
import { InputError } from '../errors/InputError.js';
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { artifactsFor } from '../files/artifacts.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import type { InputRows, RowSource } from '../rows/readPairs.js';
import { clientFor } from '../clientFor.js';
import { type FlowSpec, type RunOptions } from '../run/flow.js';
import { checkOutputs } from '../run/prepare.js';
import type { ZohoClient } from '../zoho/client.js';
import { readPlan, writePlan } from './planFile.js';
import { resolveRows } from './resolveRows.js';

/** What the flow needs from a run whose rows were looked up. */
export type LookedUp = Pick<FlowSpec, 'knownMembers' | 'readCredits'> & { rows: RowSource; client: ZohoClient };

interface Where {
  out: string;
  resumeHint: string;
  /** --check-members: every row's user is checked among its label's members before anything is sent. */
  checkMembers: boolean;
}

/** A resumed run reads the first run's plan: by now the users it removed are no longer members to find by email. */
async function fromPlan(input: InputRows, plan: string, where: Where, io: Io): Promise<RowSource> {
  if (!existsSync(plan)) {
    throw new InputError(plan, undefined, `missing: the first run looked up emails or label names and kept the result here; without it they cannot be looked up again safely (the users it removed are no longer members). Run without --resume and with another --out`);
  }
  await checkOutputs(where.out, { resume: true, inputs: [input.source.path, plan], resumeHint: where.resumeHint });
  const rows = await readPlan(plan, input.source);
  if (rows.table.size !== input.table.size) throw new InputError(plan, undefined, `has ${rows.table.size} rows but ${input.source.path} has ${input.table.size}: it was made from another version of the input; run without --resume and with another --out`);
  loggerFor(io).say(`resume: the emails and label names as the first run looked them up (${plan}); nothing is looked up again`);
  return rows;
}

/** A client; without the settings, the error says why even a dry run needs them here. */
function clientForLookups(input: InputRows, options: RunOptions, io: Io): ZohoClient {
  try {
    return clientFor(io, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ZdlabelsError('CONFIG', `${error.message}. ${input.lookups.length} row(s) of ${input.source.path} name a user by email or a label by name: looking them up reads from Zoho, on a dry run too (with user_id and label_id a dry run needs no credentials)`, { cause: error });
  }
}

/**
 * Looks up the rows that name a user by email or a label by name, and keeps
 * the result in `<out>.plan.csv` before anything is sent (a dry run too: it
 * reads, never writes). With --resume, once a journal exists, the plan is read
 * back instead. Checks the outputs, so the flow need not.
 */
export async function lookUp(input: InputRows, options: RunOptions, where: Where, io: Io): Promise<LookedUp> {
  const { plan, journal } = artifactsFor(where.out);
  const client = clientForLookups(input, options, io);
  if (options.resume && existsSync(journal)) return { rows: await fromPlan(input, plan, where, io), client, readCredits: 0 };
  await checkOutputs(where.out, { resume: options.resume, inputs: [input.source.path], resumeHint: where.resumeHint, also: [{ path: plan, option: '--out', what: 'the looked-up rows' }] });
  const r = await resolveRows(input, client, { helpCenterId: options.helpCenterId, concurrency: options.concurrency, checkMembers: where.checkMembers });
  await writePlan(plan, r.rows);
  const { calls, spent } = client.meter;
  const did = [
    ...(r.looked.labelNames > 0 || input.lookups.length > 0 ? [`looked up ${r.looked.labelNames} label name(s) and ${r.looked.emails} email row(s)`] : []),
    ...(where.checkMembers ? [`checked ${r.looked.checked} row(s) among their labels' members`] : []),
  ];
  loggerFor(io).say(`${did.join(' and ')} with ${calls} read(s), ${spent} credit(s); the rows as resolved: ${plan}`);
  const knownMembers = new Map([...r.members].map(([id, list]) => [id, new Set(list.map((m) => m.userId))]));
  return { rows: r.rows, client, readCredits: spent, knownMembers };
}
