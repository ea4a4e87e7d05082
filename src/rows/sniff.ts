import { open, stat } from 'node:fs/promises';
import { InputError } from '../errors/InputError.js';

const SNIFF_BYTES = 64 * 1024;
const SAVE_AS_UTF8 = 'save it as "CSV UTF-8" (Excel: File › Save As › CSV UTF-8; or `iconv -f UTF-16 -t UTF-8`) and try again';

function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a CSV file: give the path of the CSV file';
  return `cannot be read (${code ?? String(error)})`;
}

/**
 * The first bytes of a file, for the checks below; a missing file, a folder,
 * a pipe or an unreadable file is an InputError.
 */
export async function readHead(file: string): Promise<Buffer> {
  let handle;
  try {
    // Checked before opening: Linux opens a directory for reading (only reading
    // it fails), and opening a pipe waits for a writer.
    const what = await stat(file);
    if (what.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!what.isFile()) {
      throw new InputError(file, undefined, 'is not a regular file (a pipe or a device): save the CSV to a file and give its path (it is read more than once: to check it, and to fingerprint it for --resume)');
    }
    handle = await open(file, 'r');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(file, undefined, whyUnreadable(error), { cause: error });
  }
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } catch (error) {
    throw new InputError(file, undefined, whyUnreadable(error), { cause: error });
  } finally {
    await handle.close();
  }
}

/**
 * UTF-16 without a byte order mark: text in Latin script has a zero in every
 * other byte (the odd ones in little-endian, the even ones in big-endian) and
 * hardly any elsewhere. Returns the byte order, or undefined.
 */
function utf16ByteOrder(head: Buffer): 'LE' | 'BE' | undefined {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros >= pairs * 0.6 && evenZeros <= pairs * 0.05) return 'LE';
  if (evenZeros >= pairs * 0.6 && oddZeros <= pairs * 0.05) return 'BE';
  return undefined;
}

/** A workbook, UTF-16 text or any binary content at the start of the file is refused with what to do. */
export function refuseBinaryHead(file: string, head: Buffer): void {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new InputError(file, undefined, 'this is a zip file (an Excel .xlsx workbook?), not CSV: save it as "CSV UTF-8" and try again');
  }
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new InputError(file, undefined, `the file is UTF-16 encoded: ${SAVE_AS_UTF8}`);
  }
  const order = utf16ByteOrder(head);
  if (order !== undefined) {
    throw new InputError(file, undefined, `the file looks like UTF-16 text (${order === 'LE' ? 'little' : 'big'}-endian, without a byte order mark), not UTF-8: ${SAVE_AS_UTF8}`);
  }
  const nul = head.indexOf(0);
  if (nul >= 0) throw binaryContent(file, lineAt(head, nul));
}

/** The 1-based line of byte `offset` in `bytes`. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let at = bytes.indexOf(10); at !== -1 && at < offset; at = bytes.indexOf(10, at + 1)) line++;
  return line;
}

export function binaryContent(file: string, line: number): InputError {
  return new InputError(file, line, 'binary content (a NUL byte): this is not a CSV text file; save it as "CSV UTF-8" and try again');
}

/** Picks the separator the header line uses most: comma, semicolon or tab. */
export function sniffDelimiter(head: Buffer): string {
  const firstLine = head.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => [d, unquoted.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

/**
 * The line ends, from the first bytes: CR alone (old Mac "CSV (Macintosh)")
 * when there is no LF, else LF or CRLF. Given to csv-parse explicitly: its own
 * discovery costs about ten times more per character on a line that never ends.
 */
export function sniffRecordDelimiter(head: Buffer): string[] {
  return head.indexOf(10) === -1 && head.indexOf(13) !== -1 ? ['\r'] : ['\r\n', '\n'];
}
