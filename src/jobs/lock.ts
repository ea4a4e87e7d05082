import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { LockedError } from '../errors/LockedError.js';

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' ? { pid: h.pid, host: h.host ?? '?', startedAt: h.startedAt ?? '?' } : undefined;
  } catch {
    return undefined; // vanished, or torn by a kill while being written
  }
}

/**
 * Takes the job's overlap lock: a file created exclusively (O_EXCL) holding the
 * pid. A second run while the holder lives fails at once (exit 7); a lock left
 * by a process that is gone (killed) is taken over, with a warning.
 * Returns the release function.
 */
export function acquireLock(file: string, warn: (message: string) => void): () => void {
  const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  // Written aside, then linked into place: the lock never exists without its owner in it.
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(me));
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        linkSync(temp, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(file);
        // Another host's pid cannot be checked from here: only a local dead pid is stale.
        if (holder && (holder.host !== me.host || alive(holder.pid))) throw new LockedError(file, holder);
        warn(`taking over a stale lock ${file}${holder ? ` left by pid ${holder.pid} (started ${holder.startedAt}), which is no longer running` : ' that holds no readable owner'}`);
        try {
          unlinkSync(file);
        } catch {
          // someone else took it over first; the next link decides
        }
        continue;
      }
      return () => {
        if (readHolder(file)?.pid === me.pid) unlinkSync(file);
      };
    }
  } finally {
    unlinkSync(temp);
  }
  const holder = readHolder(file);
  throw new LockedError(file, holder ?? { pid: -1, host: '?', startedAt: '?' });
}
