// The first-write guard's place in a run: whether it runs, what it is given
// of the run, and its failures turned into stops.
import { ZdlabelsError } from '../errors/ZdlabelsError.js';
import type { Batch, Plan } from '../plan/plan.js';
import type { ExecutorOptions } from './execution.js';
import { runGuard, type GuardReport } from './guard.js';
import type { HeldAtStart } from './heldAtStart.js';
import { stopFor, type Stop } from './stop.js';

/** What the guard is given of the run. */
export interface GuardSeat {
  options: Pick<ExecutorOptions, 'guard' | 'action' | 'client' | 'table' | 'batchSize' | 'helpCenterId' | 'knownMembers' | 'onEvent'>;
  heldAtStart: Pick<HeldAtStart, 'record'>;
  /** Sends one batch before anything else (Scheduler.runFamily). */
  runBatch: (batch: Batch) => Promise<number>;
  stopped: () => boolean;
  halt: (stop: Stop) => void;
  /** An error not of ours: a bug, reported at the end of the run. */
  bug: (error: unknown) => void;
}

/** The first-write guard, when it applies; `skip` gets the batches it sends itself. */
export async function guardFirstWrite(seat: GuardSeat, plan: Plan, skip: Set<Batch>): Promise<GuardReport> {
  const o = seat.options;
  if (!o.guard || o.action !== 'remove' || plan.batches.length === 0 || seat.stopped()) {
    const why = !o.guard ? '--no-guard' : o.action === 'add' ? 'adding needs none' : seat.stopped() ? 'the run stopped before its first write' : 'nothing to send';
    return { ran: false, outcome: 'off', note: why };
  }
  try {
    return await runGuard(
      {
        client: o.client,
        table: o.table,
        batchSize: o.batchSize,
        helpCenterId: o.helpCenterId,
        knownMembers: o.knownMembers,
        onEvent: (stage, message) => o.onEvent?.({ type: 'guard', stage, message }),
        runBatch: seat.runBatch,
        stopped: seat.stopped,
        halt: (message) => seat.halt({ reason: 'guard', message }),
        held: (side, target, ids) => seat.heldAtStart.record(side, target, ids, side === 'label' || o.helpCenterId === undefined),
      },
      plan,
      skip,
    );
  } catch (error) {
    // The guard's batches join `skip` before they are sent: a non-empty skip means one went out unchecked.
    const sent = skip.size > 0 ? `its first batch was sent, but could not be checked: ` : '';
    haltOn(seat, error, sent ? 'the first-write guard sent its first batch but could not read it back' : 'the first-write guard could not read what the first write would touch');
    return { ran: true, outcome: 'error', note: `${sent}could not read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Stops on an error outside a write's answer (the guard's reads); one not of ours is a bug, reported at the end. */
function haltOn(seat: GuardSeat, error: unknown, context: string): void {
  if (!(error instanceof ZdlabelsError)) seat.bug(error);
  seat.halt(stopFor(error, context));
}
