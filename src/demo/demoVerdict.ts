// Pure: whether the demo did exactly what it was asked, judged from the
// emulator's memberships ("userId:labelId") before and after, and the calls it saw.

export interface DemoVerdict {
  /** Pairs the input asked to remove that the seed held: what should be gone. */
  requested: number;
  /** Of those, pairs still there. */
  missed: number;
  /** Pairs gone that were not asked for. */
  extra: number;
  /** Pairs left. */
  left: number;
  /** Removal calls, and calls that wrote anything else (adds, deletes). */
  removals: number;
  otherWrites: number;
}

const removalEndpoints = new Set(['removeUsersFromLabel', 'removeLabelsFromUser']);

export function demoVerdict(before: ReadonlySet<string>, after: ReadonlySet<string>, asked: Iterable<string>, calls: readonly { method: string; endpoint: string }[]): DemoVerdict {
  const wanted = new Set([...asked].filter((p) => before.has(p)));
  const gone = [...before].filter((p) => !after.has(p));
  const removals = calls.filter((c) => removalEndpoints.has(c.endpoint)).length;
  const writes = calls.filter((c) => c.method !== 'GET').length;
  return {
    requested: wanted.size,
    missed: [...wanted].filter((p) => after.has(p)).length,
    extra: gone.filter((p) => !wanted.has(p)).length,
    left: after.size,
    removals,
    otherWrites: writes - removals,
  };
}

export const demoPassed = (v: DemoVerdict): boolean => v.missed === 0 && v.extra === 0 && v.otherWrites === 0;

/** The demo's last lines. */
export function verdictLines(v: DemoVerdict): string[] {
  const others = v.otherWrites === 0 ? 'no other write' : `${v.otherWrites} other write(s)`;
  const calls = `the emulator saw ${v.removals} removal calls and ${others}`;
  if (demoPassed(v)) return [calls, `✔ confirmed from the emulator's state: exactly the ${v.requested} requested pairs are gone; the other ${v.left} assignments are untouched`];
  return [calls, `✘ the emulator's state does not match: ${v.missed} requested pairs still there, ${v.extra} other pairs gone${v.otherWrites === 0 ? '' : `, ${others}`}`];
}
