import { readFile } from 'node:fs/promises';
import { InputError } from '../errors/InputError.js';
import type { UserStatus } from '../zoho/types.js';
import { schemaProblems } from './seedSchema.js';

interface SeedUser {
  id: string;
  name: string;
  email: string;
  /** Default ACTIVE. */
  status?: UserStatus;
  /** ISO instant of the last activity; default null (none known). */
  lastAccessedTime?: string | null;
  /** The help centers the user belongs to; default: every help center of the seed. */
  helpCenterIds?: string[];
}

/** The emulator's starting state: what `--seed FILE` holds (its JSON Schema: seedSchema.ts). */
export interface Seed {
  organizations: { id: string; companyName?: string; portalName?: string }[];
  helpCenters: { id: string; name: string; orgId: string }[];
  labels: { id: string; name: string; helpCenterId: string }[];
  users: SeedUser[];
  memberships?: { labelId: string; userIds: string[] }[];
}

/** At most this many problems are listed; a seed with more has a systematic fault. */
const SHOWN = 20;

/** References to things the seed does not hold, and IDs given twice. */
function referenceProblems(seed: Seed): string[] {
  const problems: string[] = [];
  const known = (kind: string, list: { id: string }[], where: string): Set<string> => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const first = seen.get(x.id);
      if (first !== undefined) problems.push(`/${where}/${i}/id: ${kind} ${x.id} is already at /${where}/${first}`);
      else seen.set(x.id, i);
    });
    return new Set(seen.keys());
  };
  const orgs = known('organization', seed.organizations, 'organizations');
  const hcs = known('help center', seed.helpCenters, 'helpCenters');
  const labels = known('label', seed.labels, 'labels');
  const users = known('user', seed.users, 'users');
  const check = (set: Set<string>, value: string, kind: string, at: () => string) => {
    if (problems.length <= SHOWN && !set.has(value)) problems.push(`${at()}: unknown ${kind} ${value}`);
  };
  seed.helpCenters.forEach((h, i) => check(orgs, h.orgId, 'organization', () => `/helpCenters/${i}/orgId`));
  seed.labels.forEach((l, i) => check(hcs, l.helpCenterId, 'help center', () => `/labels/${i}/helpCenterId`));
  seed.users.forEach((u, i) => u.helpCenterIds?.forEach((h, j) => check(hcs, h, 'help center', () => `/users/${i}/helpCenterIds/${j}`)));
  // A million memberships is a benchmark's seed: no string is built unless something is wrong.
  (seed.memberships ?? []).forEach((m, i) => {
    check(labels, m.labelId, 'label', () => `/memberships/${i}/labelId`);
    const userIds = m.userIds;
    for (let j = 0; j < userIds.length; j += 1) if (!users.has(userIds[j]!)) check(users, userIds[j]!, 'user', () => `/memberships/${i}/userIds/${j}`);
  });
  return problems;
}

/** Seeds found sound, so a seed parsed from a file is not checked again when the emulator starts. */
const checked = new WeakSet<Seed>();

/** Throws an InputError (exit 2) listing what is wrong with `seed`, naming `source`. */
export function assertSeed(seed: Seed, source: string): void {
  if (checked.has(seed)) return;
  const problems = referenceProblems(seed);
  if (problems.length > 0) throw seedError(source, problems);
  checked.add(seed);
}

function seedError(source: string, problems: string[]): InputError {
  const more = problems.length > SHOWN ? [`... and more; fix these first`] : [];
  return new InputError(source, undefined, `not a valid emulator seed:\n  ${[...problems.slice(0, SHOWN), ...more].join('\n  ')}`);
}

export function parseSeed(value: unknown, source: string): Seed {
  const problems = schemaProblems(value);
  if (problems.length > 0) throw seedError(source, problems);
  assertSeed(value as Seed, source);
  return value as Seed;
}

export async function loadSeed(file: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, undefined, `cannot read the seed file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, undefined, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseSeed(json, file);
}

/**
 * The built-in seed: one org, one help center, three labels and 120 users with
 * 19-digit IDs beyond Number.MAX_SAFE_INTEGER, as real Zoho IDs are.
 */
export function defaultSeed(): Seed {
  const hc = '24073000002886005';
  const users = Array.from({ length: 120 }, (_, i) => ({
    id: (1060099000000334001n + BigInt(i)).toString(),
    name: `User ${i + 1}`,
    email: `user${i + 1}@zylker.com`,
  }));
  const labels = [
    { id: '24073000002958013', name: 'Prime Customer', helpCenterId: hc },
    { id: '24073000002958023', name: 'Beta Tester', helpCenterId: hc },
    { id: '24073000002958029', name: 'MVP', helpCenterId: hc },
  ];
  return {
    organizations: [{ id: '2389290', companyName: 'Zylker', portalName: 'zylker' }],
    helpCenters: [{ id: hc, name: 'Zylker Help Center', orgId: '2389290' }],
    labels,
    users,
    memberships: [
      { labelId: labels[0]!.id, userIds: users.slice(0, 80).map((u) => u.id) },
      { labelId: labels[1]!.id, userIds: users.slice(40, 120).map((u) => u.id) },
      { labelId: labels[2]!.id, userIds: users.slice(0, 10).map((u) => u.id) },
    ],
  };
}
