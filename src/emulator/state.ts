import type { Seed } from './seed.js';

export interface EmUser {
  id: string;
  name: string;
  email: string;
}
export interface EmLabel {
  id: string;
  name: string;
  helpCenterId: string;
  createdTime: string;
}

/** The emulator's data: what Zoho would hold for one account. */
export class EmulatorState {
  readonly organizations: Seed['organizations'];
  readonly helpCenters: Seed['helpCenters'];
  readonly labels = new Map<string, EmLabel>();
  readonly users = new Map<string, EmUser>();
  /** labelId → (userId → assignedTime ISO), in insertion order. */
  readonly members = new Map<string, Map<string, string>>();
  #clock = Date.parse('2026-01-05T09:00:00.000Z');

  constructor(seed: Seed) {
    this.organizations = seed.organizations;
    this.helpCenters = seed.helpCenters;
    for (const l of seed.labels) {
      this.labels.set(l.id, { ...l, createdTime: this.#tick() });
      this.members.set(l.id, new Map());
    }
    for (const u of seed.users) this.users.set(u.id, u);
    for (const m of seed.memberships) {
      for (const userId of m.userIds) this.add(m.labelId, userId);
    }
  }

  /** A strictly increasing timestamp, so assignment order is stable. */
  #tick(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  add(labelId: string, userId: string): void {
    const set = this.members.get(labelId);
    if (!set) throw new Error(`seed: unknown label ${labelId}`);
    if (!this.users.has(userId)) throw new Error(`seed: unknown user ${userId}`);
    if (!set.has(userId)) set.set(userId, this.#tick());
  }

  remove(labelId: string, userId: string): boolean {
    return this.members.get(labelId)?.delete(userId) ?? false;
  }

  has(labelId: string, userId: string): boolean {
    return this.members.get(labelId)?.has(userId) ?? false;
  }

  /** The labels a user holds, in label order. */
  labelsOf(userId: string): { label: EmLabel; assignedTime: string }[] {
    const out: { label: EmLabel; assignedTime: string }[] = [];
    for (const [labelId, set] of this.members) {
      const at = set.get(userId);
      const label = this.labels.get(labelId);
      if (at !== undefined && label) out.push({ label, assignedTime: at });
    }
    return out;
  }

  /** Every (userId, labelId) pair held, sorted: handy for asserting a final state. */
  pairs(): string[] {
    const out: string[] = [];
    for (const [labelId, set] of this.members) for (const userId of set.keys()) out.push(`${userId}:${labelId}`);
    return out.sort();
  }

  deleteLabel(labelId: string): boolean {
    this.members.delete(labelId);
    return this.labels.delete(labelId);
  }
}
