// The floor a dry run is measured against (issue 12): csv-parse over the
// same file, grouping user IDs by label in a Map, the way its documentation
// reads a file. Run in its own process so its memory is its own.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const byLabel = new Map<string, string[]>();
let header = true;
for await (const record of createReadStream(process.argv[2]!).pipe(parse()) as AsyncIterable<string[]>) {
  if (header) {
    header = false;
    continue;
  }
  const [user, label] = record as [string, string];
  const list = byLabel.get(label);
  if (list) list.push(user);
  else byLabel.set(label, [user]);
}
process.stdout.write(`${byLabel.size}\n`);
