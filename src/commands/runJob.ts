import { dirname, resolve } from 'node:path';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { expandTemplate, type Job } from '../jobs/job.js';
import { acquireLock } from '../jobs/lock.js';
import { checkJob, loadJob } from '../jobs/loadJob.js';
import type { RunOptions } from '../run/flow.js';
import { renamedEnv } from '../zoho/config.js';
import { exportCommand } from './export.js';
import { pruneCommand } from './prune.js';
import { reconcileCommand } from './reconcile.js';
import { removeCommand } from './remove.js';
import { restoreCommand } from './restore.js';
import { retireLabelCommand } from './retireLabel.js';

/** Options given on the command line; they win over the job's. Paths are relative to the caller's folder. */
export type JobOverrides = Partial<Omit<Job, 'name' | 'action' | 'env' | 'description'>> & {
  resume?: boolean | undefined;
  verbose?: boolean | undefined;
  json?: boolean | undefined;
  retryBaseMs?: number | undefined;
};

/**
 * `zdlabels run <job.json>`: runs a job file under its overlap lock. Relative
 * paths in the job resolve against the job file's folder (the command runs
 * there); command-line overrides resolve against the caller's.
 */
export async function runJobCommand(file: string, overrides: JobOverrides, io: Io): Promise<number> {
  const jobFile = resolve(io.cwd, file);
  const job = await loadJob(jobFile);
  const here = (p: string | undefined) => (p === undefined ? undefined : resolve(io.cwd, p));
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as JobOverrides;
  for (const key of ['input', 'keep', 'snapshot', 'out'] as const) if (given[key] !== undefined) given[key] = here(given[key]);
  const { resume, verbose, json, retryBaseMs, ...jobKeys } = given;
  // The overrides must make sense for this job's action, as its own keys must.
  const j = checkJob({ ...job, ...jobKeys }, `${jobFile} with the command-line options`);
  const now = new Date();
  const expand = (t: string | undefined) => (t === undefined ? undefined : expandTemplate(t, job.name, now));
  const out = expand(j.out);
  const envNames = renamedEnv(job.env ?? {});
  const options: RunOptions = {
    by: j.by ?? 'auto',
    dryRun: j.dryRun ?? false,
    concurrency: j.concurrency ?? 5,
    batchSize: j.batchSize ?? 50,
    retries: j.retries ?? 5,
    resume: resume ?? false,
    maxRemovals: j.maxRemovals,
    helpCenterId: j.helpCenterId,
    verify: j.verify ?? false,
    verbose: verbose ?? false,
    json: json ?? false,
    timeoutMs: j.timeout === undefined ? undefined : j.timeout * 1000,
    retryBaseMs,
    guard: j.guard ?? true,
    reserveCredits: j.reserveCredits,
    maxCalls: j.maxCalls,
    envNames,
    job: job.name,
    jobFile,
  };
  const log = loggerFor(io, options.verbose);
  const release = acquireLock(`${jobFile}.lock`, (m) => log.say(`warning: ${m}`));
  try {
    const jobIo: Io = { ...io, cwd: dirname(jobFile) };
    switch (j.action) {
      case 'remove':
        return await removeCommand({ input: j.input, out, ...options }, jobIo);
      case 'retire-label':
        return await retireLabelCommand({ label: j.label, yes: j.yes ?? false, out, snapshot: expand(j.snapshot), ...options }, jobIo);
      case 'reconcile':
        return await reconcileCommand({ label: j.label, keep: j.keep, check: j.check ?? false, yes: j.yes ?? false, out, ...options }, jobIo);
      case 'restore':
        return await restoreCommand({ results: j.input, out, ...options }, jobIo);
      case 'prune':
        return await pruneCommand(
          { labels: j.labels ?? [], allLabels: j.allLabels ?? false, status: j.status, inactiveSince: j.inactiveSince, inactiveFor: j.inactiveFor, keep: j.keep, yes: j.yes ?? false, out, ...options },
          jobIo,
        );
      case 'export':
        return await exportCommand({ labels: j.labels ?? [], allLabels: j.allLabels ?? false, helpCenterId: j.helpCenterId, out, verbose: options.verbose, timeoutMs: options.timeoutMs, envNames }, jobIo);
    }
  } finally {
    release();
  }
}
