import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError } from '../errors/InputError.js';

const id = z.string().regex(/^\d+$/, 'must be a string of digits');

/** The emulator's starting state: what `--seed FILE` holds. */
export const seedSchema = z
  .object({
    organizations: z.array(z.object({ id, companyName: z.string().default('Zylker'), portalName: z.string().default('zylker') }).strict()).min(1),
    helpCenters: z.array(z.object({ id, name: z.string(), orgId: id }).strict()).min(1),
    labels: z.array(z.object({ id, name: z.string(), helpCenterId: id }).strict()),
    users: z.array(z.object({ id, name: z.string(), email: z.string() }).strict()),
    memberships: z.array(z.object({ labelId: id, userIds: z.array(id) }).strict()).default([]),
  })
  .strict();

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;

export function parseSeed(value: unknown, source: string): Seed {
  const result = seedSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new InputError(source, undefined, `not a valid emulator seed: ${problems}`);
  }
  return result.data;
}

export async function loadSeed(file: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, undefined, `cannot read the seed file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(file, undefined, `not JSON: ${(error as Error).message}`);
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
