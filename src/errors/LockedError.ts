import { ZdlabelsError } from './ZdlabelsError.js';

/** Another run of the same job holds its lock (exit 7). */
export class LockedError extends ZdlabelsError {
  readonly holder: { pid: number; host: string; startedAt: string };
  constructor(lockFile: string, holder: { pid: number; host: string; startedAt: string }) {
    super('LOCKED', `job is already running: pid ${holder.pid} on ${holder.host} since ${holder.startedAt} holds ${lockFile}; this run did nothing`);
    this.name = 'LockedError';
    this.holder = holder;
  }
}
