/** Shows the cursor and turns line wrap back on (a live progress bar turns both off). */
export const RESTORE_TERMINAL = '\u001b[?25h\u001b[?7h';

const touched = new Set<NodeJS.WritableStream>();

/**
 * Records that `stream`'s terminal has been changed (cursor hidden, wrap off),
 * so that any way out of the process puts it back; call the returned function
 * once it has been put back.
 */
export function terminalTouched(stream: NodeJS.WritableStream): () => void {
  touched.add(stream);
  return () => {
    touched.delete(stream);
  };
}

/** Puts back every terminal still changed; for the exits that skip the normal clean-up (a second Ctrl-C, a crash). */
export function restoreTerminals(): void {
  for (const stream of touched) {
    try {
      stream.write(`${RESTORE_TERMINAL}\n`);
    } catch {
      // The terminal is gone: nothing left to restore.
    }
  }
  touched.clear();
}
