// Looks up what a CSV names by email or label name: label names through the
// label list, emails among the current members of their label. Rows that
// resolve become ordinary (user_id, label_id) rows; everything after is unchanged.
import { ZohoApiError } from '../errors/ZohoApiError.js';
import type { MemberRow } from '../rows/members.js';
import { extraOf, outcomesFor, type InputRows, type Preset, type Problem, type RowSource } from '../rows/readPairs.js';
import { labelIdOf, RowTableBuilder, userIdOf } from '../rows/table.js';
import { textOf } from '../rows/textColumn.js';
import { labelMembers } from '../run/members.js';
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import { listAll } from '../zoho/pager.js';
import { indexLabels, matchLabel, type LabelMatch } from './labelNames.js';

export interface Resolution {
  rows: RowSource;
  /** Every label whose members were read, with its members then. */
  members: Map<string, MemberRow[]>;
  /** What was looked up, for the log. */
  looked: { labelNames: number; emails: number };
}

/** What the resolution decided, row by row (only rows that needed a lookup). */
interface Decisions {
  user: Map<number, string>;
  label: Map<number, string>;
  problems: Problem[];
  presets: Preset[];
}

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
      d.label.set(row, match.label.id);
      names.set(match.label.id, match.label.name ?? '');
    }
  }
  return { names, count: matches.size };
}

const emailKey = (email: string): string => email.trim().toLowerCase();

/** A label's members by email (lower case); undefined when the label does not exist. */
async function membersByEmail(client: ZohoClient, labelId: string, read: Map<string, MemberRow[]>): Promise<Map<string, string[]> | undefined> {
  let members: MemberRow[];
  try {
    members = await labelMembers(client, labelId);
  } catch (error) {
    if (error instanceof ZohoApiError && error.kind === 'not_found') return undefined;
    throw error;
  }
  read.set(labelId, members);
  const byEmail = new Map<string, string[]>();
  for (const m of members) {
    if (m.email === '') continue;
    const same = byEmail.get(emailKey(m.email));
    if (same) same.push(m.userId);
    else byEmail.set(emailKey(m.email), [m.userId]);
  }
  return byEmail;
}

/** Each email row's user among the current members of its label (read once per label, paged). */
async function resolveEmails(input: InputRows, client: ZohoClient, names: Map<string, string>, d: Decisions, read: Map<string, MemberRow[]>): Promise<number> {
  const byLabel = new Map<string, number[]>();
  for (const row of input.lookups) {
    const label = d.label.get(row) ?? labelIdOf(input.table, row);
    // A row whose label did not resolve is already invalid; one with a user ID needs no email.
    if (userIdOf(input.table, row) !== '' || label === '') continue;
    const same = byLabel.get(label);
    if (same) same.push(row);
    else byLabel.set(label, [row]);
  }
  let emails = 0;
  for (const [labelId, rows] of byLabel) {
    const byEmail = await membersByEmail(client, labelId, read);
    const shown = names.has(labelId) ? `label ${JSON.stringify(names.get(labelId))} (${labelId})` : `label ${labelId}`;
    for (const row of rows) {
      emails += 1;
      const email = textOf(input.email!, row);
      const ids = byEmail?.get(emailKey(email)) ?? [];
      if (byEmail === undefined) d.presets.push({ row, status: 'not_found', message: `${shown} does not exist (reading its members answered 404)` });
      else if (ids.length === 1) d.user.set(row, ids[0]!);
      else if (ids.length === 0) d.presets.push({ row, status: 'not_member', message: `${email} is not among the ${read.get(labelId)!.length} members of ${shown}: nothing to remove` });
      else d.problems.push({ row, message: `${email} is the email of ${ids.length} members of ${shown} (${ids.join(', ')}): use user_id` });
    }
  }
  return emails;
}

/**
 * Resolves the rows of `input` that name a user by email or a label by name.
 * Label names: exact after trimming, without case, among the labels (of
 * `helpCenterId` when given). Emails: among the current members of the row's
 * label; an email that is not one is `not_member` (nothing to remove).
 */
export async function resolveRows(input: InputRows, client: ZohoClient, helpCenterId: string | undefined): Promise<Resolution> {
  const d: Decisions = { user: new Map(), label: new Map(), problems: [], presets: [] };
  const members = new Map<string, MemberRow[]>();
  const labels = await resolveLabels(input, client, helpCenterId, d);
  const emails = await resolveEmails(input, client, labels.names, d, members);
  const builder = new RowTableBuilder();
  const t = input.table;
  for (let i = 0; i < t.size; i += 1) builder.add(d.user.get(i) ?? userIdOf(t, i), d.label.get(i) ?? labelIdOf(t, i), t.line[i]!);
  const table = builder.finish();
  const rows: RowSource = { table, outcomes: outcomesFor(table, [...input.invalid, ...d.problems], d.presets), source: input.source, extra: extraOf(input) };
  return { rows, members, looked: { labelNames: labels.count, emails } };
}
