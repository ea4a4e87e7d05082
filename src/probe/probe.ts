// `zdlabels doctor --probe`: asks this org, on a label and user the admin
// chose, every unknown of the API that can be asked without harm, and leaves
// the label and the user's labels exactly as it found them.
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import { exitCodeFor, exitCodes } from '../exitCodes.js';
import type { CallEvent, ZohoClient } from '../zoho/client.js';
import { extraPairs, missingPairs, type Pair } from './holdings.js';
import { preflight } from './preflight.js';
import { NotRestoredError, ProbeSession } from './session.js';
import { labelSide, unknownInBatch, userSide, type Findings } from './steps.js';
import { verdicts, type Verdict } from './verdicts.js';

export interface ProbeOptions {
  labelId: string;
  userId: string;
  /** Probe a label (or user) with more than a few memberships anyway. */
  yes: boolean;
}

/** Whether the label and the user's labels are as found, and what is not. */
export interface Restoration {
  exact: boolean;
  members: number;
  userLabels: number;
  /** Memberships held at the start and missing now. */
  missing: Pair[];
  /** Memberships held now and not at the start (someone else's change meanwhile). */
  extra: Pair[];
  /** Why the final state could not be read, if it could not. */
  error?: string | undefined;
}

export interface ProbeReport {
  label: { id: string; name: string; members: number };
  user: { id: string; name: string; labels: number };
  unknownUserId: string;
  verdicts: Verdict[];
  restored: Restoration;
  /** Memberships added back along the way (U itself after each removal, and anything Zoho took unasked). */
  addedBack: Pair[];
  stopped?: { message: string; exitCode: number } | undefined;
  exitCode: number;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Puts back anything still missing, then reads the final state and compares it with the start. */
async function finalCheck(s: ProbeSession): Promise<Restoration> {
  const counts = { members: s.start.members.size, userLabels: s.start.userLabels.size };
  let note: string | undefined;
  try {
    await s.settle(s.start);
  } catch (error) {
    if (!(error instanceof NotRestoredError)) note = messageOf(error);
  }
  try {
    const now = await s.read();
    const missing = missingPairs(s.start, now, s.labelId, s.userId);
    const extra = extraPairs(s.start, now, s.labelId, s.userId);
    return { exact: missing.length === 0 && extra.length === 0, ...counts, missing, extra, ...(note ? { error: note } : {}) };
  } catch (error) {
    return { exact: false, ...counts, missing: [], extra: [], error: `the final state could not be read: ${messageOf(error)}` };
  }
}

async function runSteps(s: ProbeSession, f: Findings, unknownId: string): Promise<ProbeReport['stopped']> {
  try {
    await labelSide(s, f);
    await userSide(s, f);
    await unknownInBatch(s, f, unknownId);
    return undefined;
  } catch (error) {
    // Anything not one of ours is a bug: still put the label back first (finalCheck), then report it.
    if (!(error instanceof ZdlabelsError)) return { message: `internal error: ${messageOf(error)}`, exitCode: 70 };
    return { message: error.message, exitCode: exitCodeFor(error.code) };
  }
}

/**
 * Runs the probe. Usage problems (unknown label or user, U not holding L),
 * auth refusals and a footprint too large without --yes are thrown before
 * any write; once writing has begun, it always ends with the final check.
 */
export async function runProbe(client: ZohoClient, lastCall: () => CallEvent | undefined, o: ProbeOptions): Promise<ProbeReport> {
  const start = await preflight(client, o);
  const s = new ProbeSession({ client, labelId: o.labelId, userId: o.userId, start: start.holdings, lastCall });
  const findings: Findings = { byUser: {} };
  const stopped = await runSteps(s, findings, start.unknownId);
  const restored = await finalCheck(s);
  return {
    label: { id: o.labelId, name: start.label.name ?? '', members: start.holdings.members.size },
    user: { id: o.userId, name: start.user.name ?? '', labels: start.holdings.userLabels.size },
    unknownUserId: start.unknownId,
    verdicts: verdicts(findings, o.labelId),
    restored,
    addedBack: s.addedBack,
    stopped,
    exitCode: stopped?.exitCode ?? (restored.exact ? exitCodes.ok : exitCodes.someRowsNotDone),
  };
}
