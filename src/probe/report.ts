// Pure: the probe's report in words (one line per unknown) and as one JSON object.
import { notProbed } from './advice.js';
import { pairText, type Pair } from './holdings.js';
import type { ProbeReport, Restoration } from './probe.js';

const list = (pairs: Pair[]): string => pairs.map(pairText).join(', ');

function restorationLine(r: ProbeReport): string {
  const x: Restoration = r.restored;
  if (x.exact) {
    const along = r.addedBack.length > 0 ? ` (${r.addedBack.length} membership(s) added back along the way)` : '';
    return `✔ label restored exactly: ${x.members} members, as found; user ${r.user.id} holds its ${x.userLabels} label(s), as found${along}`;
  }
  const parts = [`✘ label NOT restored exactly (it had ${x.members} members; user ${r.user.id} had ${x.userLabels} label(s))`];
  if (x.missing.length > 0) parts.push(`missing: ${list(x.missing)}; add them back in Zoho Desk, or with POST /api/v1/labels/{labelId}/users/add`);
  if (x.extra.length > 0) parts.push(`present now but not when the probe began (changed by someone else meanwhile?): ${list(x.extra)}`);
  if (x.error) parts.push(x.error);
  return parts.join('. ');
}

/** The report for people: one line per unknown, then what was not probed and why, then the restoration. */
export function reportLines(r: ProbeReport): string[] {
  const lines = [
    `probe of label ${r.label.id} ("${r.label.name}", ${r.label.members} members) with user ${r.user.id} (${r.user.name}, ${r.user.labels} label(s)); unknown user ID ${r.unknownUserId} (no user: reading it answers 404)`,
  ];
  if (r.stopped) lines.push(`✘ probe stopped: ${r.stopped.message}`);
  for (const v of r.verdicts) lines.push(`${v.title} (${v.path[0]}): ${v.value}. ${v.detail} What zdlabels does: ${v.advice}`);
  lines.push(`Token refresh throttle (refreshThrottle): ${notProbed.refreshThrottle}`);
  lines.push(`Status of OAUTH_ORG_MISMATCH (orgMismatchStatus): ${notProbed.orgMismatchStatus}`);
  lines.push(restorationLine(r));
  return lines;
}

/** The report for programs: a key per unknown (its value and the raw answers), then the rest. */
export function reportJson(r: ProbeReport): Record<string, unknown> {
  const out: Record<string, unknown> = { label: r.label, user: r.user, unknownUserId: r.unknownUserId };
  for (const v of r.verdicts) {
    const entry = { value: v.value, ...v.raw };
    const [key, side] = v.path;
    if (side === undefined) out[key] = entry;
    else out[key] = { ...((out[key] as Record<string, unknown> | undefined) ?? {}), [side]: entry };
  }
  out.notProbed = notProbed;
  out.restored = r.restored;
  out.addedBack = r.addedBack;
  if (r.stopped) out.stopped = r.stopped;
  out.exitCode = r.exitCode;
  return out;
}
