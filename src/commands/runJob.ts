import { dirname, resolve } from 'node:path';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { expandTemplate, type Job } from '../jobs/job.js';
import { acquireLock } from '../jobs/lock.js';
import { checkJob, loadJob } from '../jobs/loadJob.js';
import type { RunOptions } from '../run/flow.js';
import { renamedEnv } from '../zoho/config.js';
import { choose, commandModule } from './commandModule.js';
import { exportMembers } from './export.js';
import { overridesOf, runOptionsFrom, withOptions, withOverrides } from './optionTable.js';
import { prune } from './prune.js';
import { reconcile } from './reconcile.js';
import { remove } from './remove.js';
import { restore } from './restore.js';
import { retireLabel } from './retireLabel.js';

/** How `zdlabels run` runs, beside the job's own keys. */
interface RunFlags {
  resume: boolean;
  verbose: boolean;
  json: boolean;
  retryBaseMs?: number | undefined;
}

/** The job's paths a command line may override: relative to the caller's folder, not the job's. */
const pathKeys = ['input', 'keep', 'snapshot', 'out'];

/** Runs the job's action with its keys; `out` and `snapshot` with their placeholders expanded. */
function runAction(j: Job, options: RunOptions, expand: (t: string | undefined) => string | undefined, io: Io): Promise<number> {
  const out = expand(j.out);
  switch (j.action) {
    case 'remove':
      return remove({ input: j.input, out, checkMembers: j.checkMembers ?? false, ...options }, io);
    case 'retire-label':
      return retireLabel({ label: j.label, yes: j.yes ?? false, out, snapshot: expand(j.snapshot), ...options }, io);
    case 'reconcile':
      return reconcile({ label: j.label, keep: j.keep, check: j.check ?? false, yes: j.yes ?? false, out, ...options }, io);
    case 'restore':
      return restore({ results: j.input, out, ...options }, io);
    case 'prune': {
      const rules = { status: j.status, inactiveSince: j.inactiveSince, inactiveFor: j.inactiveFor };
      return prune({ labels: j.labels ?? [], allLabels: j.allLabels ?? false, ...rules, keep: j.keep, yes: j.yes ?? false, out, ...options }, io);
    }
    case 'export': {
      const { verbose, timeoutMs, envNames } = options;
      return exportMembers({ labels: j.labels ?? [], allLabels: j.allLabels ?? false, helpCenterId: j.helpCenterId, out, verbose, timeoutMs, envNames }, io);
    }
  }
}

/**
 * `zdlabels run <job.json>`: runs a job file under its overlap lock. Relative
 * paths in the job resolve against the job file's folder (the command runs
 * there); command-line overrides resolve against the caller's.
 */
async function runJob(file: string, overrides: Record<string, unknown>, flags: RunFlags, io: Io): Promise<number> {
  const jobFile = resolve(io.cwd, file);
  const job = await loadJob(jobFile);
  const given = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, pathKeys.includes(k) && typeof v === 'string' ? resolve(io.cwd, v) : v]));
  // The overrides must make sense for this job's action, as its own keys must.
  const j = checkJob({ ...job, ...given }, `${jobFile} with the command-line options`);
  const now = new Date();
  const expand = (t: string | undefined) => (t === undefined ? undefined : expandTemplate(t, job.name, now));
  const options: RunOptions = { ...runOptionsFrom({ ...j, ...flags }), envNames: renamedEnv(job.env ?? {}), job: job.name, jobFile };
  const release = acquireLock(`${jobFile}.lock`, (m) => loggerFor(io, options.verbose).say(`warning: ${m}`));
  try {
    return await runAction(j, options, expand, { ...io, cwd: dirname(jobFile) });
  } finally {
    release();
  }
}

export const runJobCommand = commandModule({
  command: 'run <job>',
  describe: 'Run a job file (JSON; see `zdlabels schema`) under its overlap lock; any option given here overrides the job',
  builder: (y) => withOverrides(withOptions(y, ['resume', 'verbose', 'json', 'retry-base-ms'])).positional('job', { type: 'string', demandOption: true, describe: 'Job file' }),
  handler: (a) => choose(a, (io) => runJob(a.job, overridesOf(a), { resume: a.resume, verbose: a.verbose, json: a.json, retryBaseMs: a.retryBaseMs }, io)),
});
