import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { Batch, Plan, Side } from '../plan/plan.js';
import type { RowTable } from '../rows/table.js';
import { labelIdOf, userIdOf } from '../rows/table.js';
import type { ZohoClient } from '../zoho/client.js';
import { MAX_PAGE, listAll } from '../zoho/pager.js';
import { retryRead } from './retry.js';

/** What the guard did, for the summary and the manifest. */
export interface GuardReport {
  ran: boolean;
  /** passed: nothing unasked vanished; tripped: it did (repaired, run stopped); inconclusive: no guarded batch removed anything; error: the guard could not read. */
  outcome: 'passed' | 'tripped' | 'inconclusive' | 'error' | 'off';
  note: string;
  tripped?: { side: Side; target: string; sent: number; vanished: number; restored: number; notRestored: string[] } | undefined;
}

/** What the guard needs of the executor. */
export interface GuardHost {
  client: ZohoClient;
  table: RowTable;
  batchSize: number;
  helpCenterId: string | undefined;
  /** A label's members the command has just read (retire-label's snapshot, reconcile's): no need to read them again. */
  knownMembers?: ReadonlyMap<string, ReadonlySet<string>> | undefined;
  onEvent: (stage: string, message: string) => void;
  /** Sends one batch before anything else; resolves once it (and any part of it) is finished, with the rows it changed. */
  runBatch: (batch: Batch) => Promise<number>;
  stopped: () => boolean;
  halt: (message: string) => void;
  /** What a target held before the guard's batch (for later evidence: a pair held when the run began). */
  held: (side: Side, target: string, ids: ReadonlySet<string>) => void;
}

/**
 * Targets tried per side: batches sent that removed nothing (so proved
 * nothing), and, apart, targets read in full only to find that their batch
 * takes all they hold (a decommission's file often empties every label it
 * names: each such read is a member list spent for nothing).
 */
const TRIES = 3;
/** Labels sized (one cheap read each) to find targets whose batch leaves members behind. */
const CANDIDATES = 10;

const missing = (error: unknown): undefined => {
  // A label or user that does not exist holds nothing to lose.
  if (error instanceof ZohoApiError && error.status === 404) return undefined;
  throw error;
};

/** Every ID on the other side of a target now: a label's members, or a user's labels. */
async function holdings(host: GuardHost, side: Side, target: string): Promise<Set<string>> {
  if (side === 'label') {
    const members = await listAll(host.client, 'listLabelUsers', { path: { labelId: target } }, retryRead);
    return new Set(members.map((m) => m.id));
  }
  const query = host.helpCenterId === undefined ? {} : { helpCenterId: host.helpCenterId };
  const labels = await listAll(host.client, 'listUserLabels', { path: { userId: target }, query }, retryRead);
  return new Set(labels.map((l) => l.id));
}

/**
 * Whether a label may have lost more than `expected` (its members minus those
 * sent) suggests, from two cheap reads: its member count, and its first page
 * (which the "remove every member" failure would leave short or empty).
 */
async function labelLooksShort(host: GuardHost, target: string, expected: number): Promise<boolean> {
  const [label, page] = await Promise.all([
    retryRead(() => host.client.call('getLabel', { path: { labelId: target } })),
    retryRead(() => host.client.call('listLabelUsers', { path: { labelId: target }, query: { from: 1, limit: MAX_PAGE } })),
  ]);
  const count = Number(label.count ?? NaN);
  return (Number.isFinite(count) && count < expected) || page.data.length < Math.min(MAX_PAGE, expected);
}

/** Puts back memberships Zoho removed without being asked; returns those it could not. */
async function repair(host: GuardHost, side: Side, target: string, ids: string[]): Promise<string[]> {
  const failed: string[] = [];
  const adds: { labelId: string; userIds: string[] }[] = [];
  if (side === 'label') for (let i = 0; i < ids.length; i += host.batchSize) adds.push({ labelId: target, userIds: ids.slice(i, i + host.batchSize) });
  else for (const labelId of ids) adds.push({ labelId, userIds: [target] });
  for (const add of adds) {
    try {
      await retryRead(() => host.client.call('addUsersToLabel', { path: { labelId: add.labelId }, body: { userIds: add.userIds } }));
    } catch {
      failed.push(...(side === 'label' ? add.userIds : [add.labelId]));
    }
  }
  return failed;
}

/**
 * The targets of one side worth guarding, best first. Labels: those whose
 * batch leaves members behind (a batch that takes every member cannot show
 * Zoho taking more), then fewest members. Users hold few labels: by batch size.
 */
async function targets(host: GuardHost, plan: Plan, side: Side): Promise<{ batch: Batch; target: string }[]> {
  const smallest = new Map<number, Batch>();
  for (const b of plan.batches) {
    if (b.by !== side) continue;
    const known = smallest.get(b.key);
    if (!known || b.rows.length < known.rows.length) smallest.set(b.key, b);
  }
  const named = [...smallest.values()]
    .sort((a, b) => a.rows.length - b.rows.length)
    .slice(0, CANDIDATES)
    .map((batch) => ({ batch, target: side === 'label' ? host.table.labels.value(batch.key) : host.table.users.value(batch.key) }));
  if (side === 'user') return named;
  const sized = await Promise.all(
    named.map(async (t) => {
      const known = host.knownMembers?.get(t.target);
      if (known) return { ...t, size: known.size };
      const label = await retryRead(() => host.client.call('getLabel', { path: { labelId: t.target } })).catch(missing);
      return { ...t, size: label === undefined ? -1 : Number(label.count ?? Infinity) };
    }),
  );
  const leaves = (t: { batch: Batch; size: number }): number => (t.size > t.batch.rows.length ? 0 : 1);
  return sized.filter((t) => t.size >= 0).sort((a, b) => leaves(a) - leaves(b) || a.size - b.size);
}

type SideResult = { ok: boolean; note: string; inconclusive?: boolean; tripped?: GuardReport['tripped'] };

/** After the guarded batch: what vanished that was not sent, repaired, and the run stopped if anything did. */
async function judgeTarget(host: GuardHost, side: Side, target: string, before: Set<string>, sent: Set<string>): Promise<SideResult | undefined> {
  const expected = [...before].filter((id) => !sent.has(id)).length;
  if (side === 'label' && !(await labelLooksShort(host, target, expected))) return { ok: true, note: `label ${target}: only the IDs sent were removed` };
  const after = await holdings(host, side, target);
  const vanished = [...before].filter((id) => !after.has(id));
  const unasked = vanished.filter((id) => !sent.has(id));
  if (unasked.length === 0) return vanished.length > 0 ? { ok: true, note: `${side} ${target}: only the IDs sent were removed` } : undefined;
  const notRestored = await repair(host, side, target, unasked);
  const restored = unasked.length - notRestored.length;
  const what = side === 'label' ? `label ${target} lost ${vanished.length} members` : `user ${target} lost ${vanished.length} labels`;
  const message = `the first-write guard stopped the run: removing ${sent.size} from ${side} ${target}, ${what}; Zoho removed ${unasked.length} that were not asked for. ${restored} were added back${notRestored.length ? `; ${notRestored.length} could NOT be (${notRestored.slice(0, 10).join(', ')}${notRestored.length > 10 ? ', …' : ''}): add them back by hand` : ''}. Nothing more was sent: do not run again until Zoho's endpoint removes only the IDs it is given (\`zdlabels doctor --probe\` checks this on a test label)`;
  host.halt(message);
  const note = `${side} ${target}: ${unasked.length} removed unasked, ${restored} added back${notRestored.length ? `, ${notRestored.length} NOT` : ''}`;
  return { ok: false, note, tripped: { side, target, sent: sent.size, vanished: vanished.length, restored, notRestored } };
}

/**
 * Guards one side's first write: knows what the target holds, sends its batch
 * alone, then checks nothing else vanished (Zoho's remove endpoint ignoring
 * the list, as its spec's wording could mean). If something did, it is added
 * back and the run stops. A batch that removed nothing proves nothing: the
 * next target is tried.
 */
async function guardSide(host: GuardHost, plan: Plan, side: Side, done: Set<Batch>): Promise<SideResult> {
  let sentBatches = 0;
  let whole = 0;
  for (const { batch, target } of await targets(host, plan, side)) {
    if (host.stopped()) return { ok: false, note: sentBatches === 0 ? 'the run stopped before the guard sent anything' : `the run stopped while the guard tried another ${side}` };
    if (sentBatches >= TRIES || whole >= TRIES) break;
    const read = side === 'label' ? host.knownMembers?.get(target) : undefined;
    const known = read && new Set(read);
    const before = known ?? (await holdings(host, side, target).catch(missing));
    if (before === undefined) continue;
    host.held(side, target, before);
    const sent = new Set([...batch.rows].map((r) => (side === 'label' ? userIdOf(host.table, r) : labelIdOf(host.table, r))));
    if ([...before].every((id) => sent.has(id))) {
      // Removing everything it holds looks the same whether Zoho takes the list or everything: proves nothing.
      whole += 1;
      host.onEvent('inconclusive', `guard: the batch for ${side} ${target} takes all it holds, so it could not show Zoho taking more; trying another`);
      continue;
    }
    host.onEvent('before', `guard: ${side} ${target} holds ${before.size}; sending its ${batch.rows.length} first`);
    done.add(batch); // before it is sent: a stop during it must not take its rows for untouched ones
    sentBatches += 1;
    const removed = await host.runBatch(batch);
    if (host.stopped()) return { ok: false, note: `the run stopped during the guarded batch of ${side} ${target}` };
    const result = removed > 0 ? await judgeTarget(host, side, target, before, sent) : undefined;
    if (result) return result;
    host.onEvent('inconclusive', `guard: the batch for ${side} ${target} removed nothing, so it proves nothing; trying another`);
  }
  const why = sentBatches === 0 && whole > 0 ? 'every batch tried takes all its target holds, so none could show Zoho taking more' : 'no guarded batch removed anything, so none proved anything';
  return { ok: true, inconclusive: true, note: `by ${side}: ${why}` };
}

/** The first-write guard for each side the plan writes through: a few reads per run, not per batch. */
export async function runGuard(host: GuardHost, plan: Plan, done: Set<Batch>): Promise<GuardReport> {
  const notes: string[] = [];
  let inconclusive = false;
  for (const side of ['label', 'user'] as const) {
    if (!plan.batches.some((b) => b.by === side)) continue;
    const r = await guardSide(host, plan, side, done);
    notes.push(r.note);
    if (!r.ok) return { ran: true, outcome: r.tripped ? 'tripped' : 'error', note: notes.join('; '), tripped: r.tripped };
    inconclusive ||= r.inconclusive === true;
  }
  return { ran: true, outcome: inconclusive ? 'inconclusive' : 'passed', note: notes.join('; ') };
}
