import type { RowSource } from '../../src/rows/readPairs.js';
import { labelIdOf, userIdOf } from '../../src/rows/table.js';

/**
 * The rows a reader produced, as plain objects: number, line, IDs, and the
 * outcome given to a row that cannot be sent (its message without the
 * `line N:` the results file shows in front of it).
 */
export const rowsOf = ({ table, outcomes }: RowSource) =>
  Array.from({ length: table.size }, (_, i) => {
    const status = outcomes.status(i);
    return {
      row: i + 1,
      line: table.line[i],
      userId: userIdOf(table, i),
      labelId: labelIdOf(table, i),
      problem: status === undefined ? undefined : { status, message: outcomes.detail(i).message.replace(/^line \d+: /, '') },
    };
  });
