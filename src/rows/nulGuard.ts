import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';

/** A NUL byte at `offset` (from the start of the file): the file is not text. */
export class NulByteFound extends Error {
  readonly offset: number;
  constructor(offset: number) {
    super(`a NUL byte at byte ${offset}`);
    this.name = 'NulByteFound';
    this.offset = offset;
  }
}

/**
 * Passes a file's chunks through unchanged and fails at the first NUL byte,
 * wherever it is. One Buffer.indexOf (memchr) per chunk: cheap next to parsing.
 */
export function nulGuard(): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const at = chunk.indexOf(0);
      if (at !== -1) {
        done(new NulByteFound(offset + at));
        return;
      }
      offset += chunk.length;
      done(null, chunk);
    },
  });
}

/** The 1-based line that byte `offset` of `file` is on; read again only when a problem is reported. */
export async function lineOfOffset(file: string, offset: number): Promise<number> {
  let line = 1;
  if (offset === 0) return line;
  for await (const chunk of createReadStream(file, { end: offset - 1 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) line++;
  }
  return line;
}
