import { createWriteStream } from 'node:fs';
import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';

/** The temporary name a file is written under before it is renamed into place. */
export const tempPathFor = (path: string): string => `${path}.tmp-${process.pid}`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes `<path>.tmp-<pid>` files left beside `path` by a process that is
 * gone (a run killed while writing). A live writer's temporary file is left alone.
 */
export async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await rm(join(dirname(path), name), { force: true });
  }
}

/** Writes a whole file atomically: readers see the old file or the new one, never half of it. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Writes a file atomically from chunks produced one at a time (a results file
 * of a million lines is never held in memory whole). `produce` calls `write`;
 * writing waits when the disk is behind.
 */
export async function streamFileAtomic(path: string, produce: (write: (chunk: string) => Promise<void>) => Promise<void>): Promise<void> {
  const temp = tempPathFor(path);
  const out = createWriteStream(temp, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([e]) => Promise.reject(e as Error));
  failed.catch(() => {});
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  try {
    await produce(write);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(temp, path);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
