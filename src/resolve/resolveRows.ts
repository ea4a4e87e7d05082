// Looks up what a CSV names by email or label name: label names through the
// label list, emails among the current members of their label. Rows that
// resolve become ordinary (user_id, label_id) rows; everything after is unchanged.
import { Interner } from '../rows/interner.js';
import type { MemberRow } from '../rows/membersCsv.js';
import { extraOf, outcomesFor, type InputRows, type Preset, type Problem, type RowSource } from '../rows/readPairs.js';
import { labelIdOf, RowTableBuilder, userIdOf } from '../rows/table.js';
import { textOf } from '../rows/textColumn.js';
import { membersOfLabels } from './labelMembers.js';
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { indexLabels, matchLabel, type LabelMatch } from './labelNames.js';

export interface Resolution {
  rows: RowSource;
  /** Every label whose members were read (before any write), with its members then. */
  members: Map<string, MemberRow[]>;
  /** What was looked up, for the log. */
  looked: { labelNames: number; emails: number; checked: number };
}

/** What the resolution decided, row by row: the IDs it found (-1: none), problems and outcomes. */
interface Decisions {
  /** The IDs found, each once (a million rows name at most a few thousand). */
  ids: Interner;
  user: Int32Array;
  label: Int32Array;
  problems: Problem[];
  presets: Preset[];
  /** 1: the row's pair was read held (its user among its label's members). */
  held: Uint8Array;
}

const found = (d: Decisions, side: Int32Array, row: number): string | undefined => (side[row]! < 0 ? undefined : d.ids.value(side[row]!));

/** Each distinct label name of the rows, matched once against the label list (read only when a row names a label). */
async function matchNames(input: InputRows, rows: readonly number[], client: ZohoClient, helpCenterId: string | undefined): Promise<Map<string, LabelMatch>> {
  const names = new Set(rows.filter((i) => labelIdOf(input.table, i) === '').map((i) => textOf(input.labelName!, i)));
  const matches = new Map<string, LabelMatch>();
  if (names.size === 0) return matches;
  const labels = await listAll(client, 'listLabels', { query: helpCenterId === undefined ? {} : { helpCenterId } }, retryRead);
  const index = indexLabels(labels);
  for (const name of names) matches.set(name, matchLabel(index, name, helpCenterId));
  return matches;
}

/** The label of each row (its ID, or its name resolved); a row whose name does not resolve gets its problem. */
async function resolveLabels(input: InputRows, client: ZohoClient, helpCenterId: string | undefined, d: Decisions): Promise<{ names: Map<string, string>; count: number }> {
  const matches = await matchNames(input, input.lookups, client, helpCenterId);
  const names = new Map<string, string>();
  for (const row of input.lookups) {
    if (labelIdOf(input.table, row) !== '') continue;
    const match = matches.get(textOf(input.labelName!, row))!;
    if ('problem' in match) d.problems.push({ row, message: match.problem });
    else {
      d.label[row] = d.ids.intern(match.label.id);
      names.set(match.label.id, match.label.name ?? '');
    }
  }
  return { names, count: matches.size };
}

const emailKey = (email: string): string => email.trim().toLowerCase();

/** A label's members by email (lower case). */
function byEmailOf(members: readonly MemberRow[]): Map<string, string[]> {
  const byEmail = new Map<string, string[]>();
  for (const m of members) {
    if (m.email === '') continue;
    const same = byEmail.get(emailKey(m.email));
    if (same) same.push(m.userId);
    else byEmail.set(emailKey(m.email), [m.userId]);
  }
  return byEmail;
}

/** Each email row's user among the current members of its label (read once per label, paged, a few labels at a time). */
async function resolveEmails(input: InputRows, client: ZohoClient, names: Map<string, string>, d: Decisions, read: Map<string, MemberRow[]>, concurrency: number): Promise<number> {
  const byLabel = new Map<string, number[]>();
  for (const row of input.lookups) {
    const label = found(d, d.label, row) ?? labelIdOf(input.table, row);
    // A row whose label did not resolve is already invalid; one with a user ID needs no email.
    if (userIdOf(input.table, row) !== '' || label === '') continue;
    const same = byLabel.get(label);
    if (same) same.push(row);
    else byLabel.set(label, [row]);
  }
  const members = await membersOfLabels(client, byLabel.keys(), concurrency);
  let emails = 0;
  for (const [labelId, rows] of byLabel) {
    const list = members.get(labelId);
    if (list) read.set(labelId, list);
    const byEmail = list && byEmailOf(list);
    const shown = names.has(labelId) ? `label ${JSON.stringify(names.get(labelId))} (${labelId})` : `label ${labelId}`;
    for (const row of rows) {
      emails += 1;
      const email = textOf(input.email!, row);
      const ids = byEmail?.get(emailKey(email)) ?? [];
      if (byEmail === undefined) d.presets.push({ row, status: 'not_found', message: `${shown} does not exist (reading its members answered 404)` });
      else if (ids.length === 1) {
        d.user[row] = d.ids.intern(ids[0]!);
        d.held[row] = 1; // found among the label's members
      }
      else if (ids.length === 0) d.presets.push({ row, status: 'not_member', message: `${email} is not among the ${read.get(labelId)!.length} members of ${shown}: nothing to remove` });
      else d.problems.push({ row, message: `${email} is the email of ${ids.length} members of ${shown} (${ids.join(', ')}): use user_id` });
    }
  }
  return emails;
}

/**
 * `--check-members`: every row with both IDs whose user was not found among
 * its label's members already, checked among them (each label read once, the
 * ones the emails read not again). A user who is not a member is `not_member`
 * and never sent; a label that does not exist, `not_found`. So a row sent was
 * held when the run began: `removed` then means a removal, and restore puts
 * back only who held the label.
 */
async function checkMembership(input: InputRows, client: ZohoClient, d: Decisions, read: Map<string, MemberRow[]>, concurrency: number): Promise<number> {
  const invalid = new Set(input.invalid.map((p) => p.row));
  const preset = new Set(d.presets.map((p) => p.row));
  const byLabel = new Map<string, number[]>();
  for (let row = 0; row < input.table.size; row += 1) {
    if (d.held[row] === 1 || invalid.has(row) || preset.has(row)) continue;
    const label = found(d, d.label, row) ?? labelIdOf(input.table, row);
    if (label === '' || (found(d, d.user, row) ?? userIdOf(input.table, row)) === '') continue;
    const same = byLabel.get(label);
    if (same) same.push(row);
    else byLabel.set(label, [row]);
  }
  const unread = [...byLabel.keys()].filter((id) => !read.has(id));
  for (const [id, list] of await membersOfLabels(client, unread, concurrency)) if (list) read.set(id, list);
  for (const [labelId, rows] of byLabel) {
    const list = read.get(labelId);
    const members = list && new Set(list.map((m) => m.userId));
    for (const row of rows) {
      const user = found(d, d.user, row) ?? userIdOf(input.table, row);
      if (members === undefined) d.presets.push({ row, status: 'not_found', message: `label ${labelId} does not exist (reading its members answered 404)` });
      else if (members.has(user)) d.held[row] = 1;
      else d.presets.push({ row, status: 'not_member', message: `user ${user} is not among the ${members.size} members of label ${labelId} (read before any write): nothing to remove` });
    }
  }
  return [...byLabel.values()].reduce((n, rows) => n + rows.length, 0);
}

/**
 * Resolves the rows of `input` that name a user by email or a label by name.
 * Label names: exact after trimming, without case, among the labels (of
 * `helpCenterId` when given). Emails: among the current members of the row's
 * label; an email that is not one is `not_member` (nothing to remove).
 */
export async function resolveRows(input: InputRows, client: ZohoClient, options: { helpCenterId: string | undefined; concurrency: number; checkMembers: boolean }): Promise<Resolution> {
  const size = input.table.size;
  const d: Decisions = { ids: new Interner(), user: new Int32Array(size).fill(-1), label: new Int32Array(size).fill(-1), problems: [], presets: [], held: new Uint8Array(size) };
  const members = new Map<string, MemberRow[]>();
  const labels = await resolveLabels(input, client, options.helpCenterId, d);
  const emails = await resolveEmails(input, client, labels.names, d, members, options.concurrency);
  const checked = options.checkMembers ? await checkMembership(input, client, d, members, options.concurrency) : 0;
  const builder = new RowTableBuilder();
  const t = input.table;
  for (let i = 0; i < t.size; i += 1) builder.add(found(d, d.user, i) ?? userIdOf(t, i), found(d, d.label, i) ?? labelIdOf(t, i), t.line[i]!);
  const table = builder.finish();
  const rows: RowSource = { table, outcomes: outcomesFor(table, [...input.invalid, ...d.problems], d.presets), source: input.source, extra: extraOf(input), heldAtStart: d.held };
  return { rows, members, looked: { labelNames: labels.count, emails, checked } };
}
