// Pure: which label a name written in a CSV or on the command line means.
import type { Label } from '../zoho/types.js';
import { closest } from './editDistance.js';

/** A label as messages name it: `"MVP" (24073000002958029)`. */
export const labelTitle = (label: Pick<Label, 'id' | 'name'>): string => `"${label.name ?? ''}" (${label.id})`;

/** Names are compared trimmed, in one Unicode form, without case. */
const nameKey = (name: string): string => name.trim().normalize('NFC').toLowerCase();

export interface LabelIndex {
  readonly labels: readonly Label[];
  readonly byName: ReadonlyMap<string, Label[]>;
}

export function indexLabels(labels: readonly Label[]): LabelIndex {
  const byName = new Map<string, Label[]>();
  for (const l of labels) {
    const key = nameKey(l.name ?? '');
    const same = byName.get(key);
    if (same) same.push(l);
    else byName.set(key, [l]);
  }
  return { labels, byName };
}

export type LabelMatch = { label: Label } | { problem: string };

const listed = (labels: readonly Label[]): string => labels.map((l) => `${l.id} (help center ${l.helpCenterId ?? '?'})`).join(', ');

/**
 * The label `name` means: exactly one label of that name (in `helpCenterId`
 * when given). Several: the problem lists them; none: it names the closest
 * existing names.
 */
export function matchLabel(index: LabelIndex, name: string, helpCenterId?: string): LabelMatch {
  const all = index.byName.get(nameKey(name)) ?? [];
  const found = helpCenterId === undefined ? all : all.filter((l) => l.helpCenterId === helpCenterId);
  if (found.length === 1) return { label: found[0]! };
  const shown = JSON.stringify(name.trim());
  if (found.length > 1) {
    // In different help centers, --help-center-id tells them apart; twice in one, only the ID does.
    const apart = helpCenterId === undefined && new Set(found.map((l) => l.helpCenterId)).size === found.length;
    return { problem: `label ${shown} is the name of ${found.length} labels: ${listed(found)}; ${apart ? 'give --help-center-id to pick one, or use its label_id' : 'use its label_id'}` };
  }
  const where = helpCenterId === undefined ? '' : ` in help center ${helpCenterId}`;
  const elsewhere = all.length > 0 ? ` (it is in ${listed(all)})` : '';
  const names = index.labels.flatMap((l) => (helpCenterId === undefined || l.helpCenterId === helpCenterId ? [l.name ?? ''] : []));
  if (names.length === 0) return { problem: `label ${shown} does not exist${where}: there are no labels${where}${elsewhere}` };
  const near = closest(name, names, 3, nameKey).map((n) => JSON.stringify(n));
  return { problem: `label ${shown} does not exist${where}${elsewhere}; the closest names: ${near.join(', ')}` };
}
