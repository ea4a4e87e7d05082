import type { UserStatus } from '../zoho/types.js';
import type { Seed } from './seed.js';

export interface EmUser {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  /** ISO instant, or null: no activity known. */
  lastAccessedTime: string | null;
  /** The help centers the user belongs to; undefined: every one. */
  helpCenterIds: ReadonlySet<string> | undefined;
  /** Epoch ms; seed order. */
  modifiedTime: number;
}
export interface EmLabel {
  id: string;
  name: string;
  helpCenterId: string;
  createdTime: string;
  /** Position in the seed: "label order". */
  ordinal: number;
}

/**
 * One label's members: userId → assigned time (epoch ms), in insertion order.
 * Every change, also one made directly by a test, keeps the owner's
 * user → labels index in step.
 */
export class MemberMap extends Map<string, number> {
  readonly #labelId: string;
  readonly #index: Map<string, string[]>;
  constructor(labelId: string, index: Map<string, string[]>) {
    super();
    this.#labelId = labelId;
    this.#index = index;
  }

  override set(userId: string, at: number): this {
    if (!this.insert(userId, at)) super.set(userId, at);
    return this;
  }

  /** Adds a member who is not one yet (false, and no change, when they are). */
  insert(userId: string, at: number): boolean {
    if (super.has(userId)) return false;
    super.set(userId, at);
    const labels = this.#index.get(userId);
    if (labels) labels.push(this.#labelId);
    else this.#index.set(userId, [this.#labelId]);
    return true;
  }

  override delete(userId: string): boolean {
    if (!super.delete(userId)) return false;
    const labels = this.#index.get(userId);
    const at = labels?.indexOf(this.#labelId) ?? -1;
    if (at >= 0) labels!.splice(at, 1);
    return true;
  }

  override clear(): void {
    for (const userId of [...this.keys()]) this.delete(userId);
  }
}

const SEED_CLOCK = Date.parse('2026-01-05T09:00:00.000Z');
const USERS_MODIFIED = Date.parse('2025-06-01T00:00:00.000Z');

/** The emulator's data: what Zoho would hold for one account. */
export class EmulatorState {
  readonly organizations: { id: string; companyName: string; portalName: string }[];
  readonly helpCenters: Seed['helpCenters'];
  readonly #helpCenterIds: Set<string>;
  readonly labels = new Map<string, EmLabel>();
  readonly users = new Map<string, EmUser>();
  readonly members = new Map<string, MemberMap>();
  /** userId → the labels they hold (a user holds few): so a user's labels never need a scan of every label. */
  readonly #labelsByUser = new Map<string, string[]>();
  #clock = SEED_CLOCK;

  /** `seed` must be checked (assertSeed) first. */
  constructor(seed: Seed) {
    this.organizations = seed.organizations.map((o) => ({ companyName: 'Zylker', portalName: 'zylker', ...o }));
    this.helpCenters = seed.helpCenters;
    this.#helpCenterIds = new Set(seed.helpCenters.map((h) => h.id));
    seed.labels.forEach((l, ordinal) => {
      this.labels.set(l.id, { ...l, createdTime: new Date(this.#tick()).toISOString(), ordinal });
      this.members.set(l.id, new MemberMap(l.id, this.#labelsByUser));
    });
    seed.users.forEach((u, i) => {
      this.users.set(u.id, {
        id: u.id,
        name: u.name,
        email: u.email,
        status: u.status ?? 'ACTIVE',
        lastAccessedTime: u.lastAccessedTime ?? null,
        helpCenterIds: u.helpCenterIds ? new Set(u.helpCenterIds) : undefined,
        modifiedTime: USERS_MODIFIED + i * 1000,
      });
    });
    for (const m of seed.memberships ?? []) this.#seedMembers(m.labelId, m.userIds);
  }

  /** A seed's memberships, at start-up speed: the seed's references are checked already (assertSeed). */
  #seedMembers(labelId: string, userIds: string[]): void {
    const set = this.members.get(labelId);
    if (!set) throw new Error(`emulator state: unknown label ${labelId}`);
    let clock = this.#clock;
    for (const userId of userIds) if (set.insert(userId, clock + 1000)) clock += 1000;
    this.#clock = clock;
  }

  /** A strictly increasing timestamp, so assignment order is stable. */
  #tick(): number {
    this.#clock += 1000;
    return this.#clock;
  }

  /** Adds a pair of a known label and user (a no-op when held). */
  add(labelId: string, userId: string): void {
    const set = this.members.get(labelId);
    if (!set) throw new Error(`emulator state: unknown label ${labelId}`);
    if (!this.users.has(userId)) throw new Error(`emulator state: unknown user ${userId}`);
    if (!set.has(userId)) set.insert(userId, this.#tick());
  }

  remove(labelId: string, userId: string): boolean {
    return this.members.get(labelId)?.delete(userId) ?? false;
  }

  has(labelId: string, userId: string): boolean {
    return this.members.get(labelId)?.has(userId) ?? false;
  }

  /** The labels a user holds, in label order. */
  labelsOf(userId: string): { label: EmLabel; assignedTime: number }[] {
    const out: { label: EmLabel; assignedTime: number }[] = [];
    for (const labelId of this.#labelsByUser.get(userId) ?? []) {
      const label = this.labels.get(labelId);
      const at = this.members.get(labelId)?.get(userId);
      if (label && at !== undefined) out.push({ label, assignedTime: at });
    }
    return out.sort((a, b) => a.label.ordinal - b.label.ordinal);
  }

  /** Whether a user belongs to a help center. */
  inHelpCenter(user: EmUser, helpCenterId: string): boolean {
    return (user.helpCenterIds ?? this.#helpCenterIds).has(helpCenterId);
  }

  /** Every (userId, labelId) pair held, sorted: handy for asserting a final state. */
  pairs(): string[] {
    const out: string[] = [];
    for (const [labelId, set] of this.members) for (const userId of set.keys()) out.push(`${userId}:${labelId}`);
    return out.sort();
  }

  /** How many pairs are held, without listing them. */
  pairCount(): number {
    let n = 0;
    for (const set of this.members.values()) n += set.size;
    return n;
  }

  deleteLabel(labelId: string): boolean {
    this.members.get(labelId)?.clear();
    this.members.delete(labelId);
    return this.labels.delete(labelId);
  }
}
