import { UsageError } from '../errors/UsageError.js';
import { findLabel } from './labelMembers.js';
import { retryRead } from '../run/retry.js';
import type { ZohoClient } from '../zoho/client.js';
import { isDigits } from '../zoho/ids.js';
import { listAll } from '../zoho/pager.js';
import type { Label } from '../zoho/types.js';
import { indexLabels, matchLabel, type LabelIndex } from './labelNames.js';

/**
 * The labels a command names: `--all-labels` (of --help-center-id, if given),
 * or each `--label` as an ID (digits) or a name (trimmed, without case). A
 * name that does not resolve is a usage error (exit 2) saying why.
 */
export async function pickLabels(client: ZohoClient, specs: readonly string[], all: boolean, helpCenterId: string | undefined): Promise<Label[]> {
  const list = () => listAll(client, 'listLabels', { query: helpCenterId === undefined ? {} : { helpCenterId } }, retryRead);
  if (all) return list();
  let index: LabelIndex | undefined;
  const picked = new Map<string, Label>();
  for (const spec of specs) {
    if (isDigits(spec.trim())) {
      const label = await findLabel(client, spec.trim());
      picked.set(label.id, label);
      continue;
    }
    index ??= indexLabels(await list());
    const match = matchLabel(index, spec, helpCenterId);
    if ('problem' in match) throw new UsageError(`--label ${JSON.stringify(spec)}: ${match.problem}`);
    picked.set(match.label.id, match.label);
  }
  return [...picked.values()];
}
