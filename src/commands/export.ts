import { resolve } from 'node:path';
import { CommandLineError } from '../errors/CommandLineError.js';
import type { Io } from '../io.js';
import { loggerFor } from '../log.js';
import { membersCsv, writeMembers, type MemberRow } from '../rows/membersCsv.js';
import { clientFor } from '../clientFor.js';
import { checkWritable } from '../files/artifacts.js';
import { labelMembers } from '../resolve/labelMembers.js';
import { pickLabels } from '../resolve/pickLabels.js';
import type { EnvNames } from '../zoho/config.js';
import { choose, commandModule } from './commandModule.js';
import { optionTable, timeoutMsOf, withOptions } from './optionTable.js';
import { checkId } from './optionValues.js';

export interface ExportOptions {
  labels: string[];
  allLabels: boolean;
  helpCenterId?: string | undefined;
  out?: string | undefined;
  verbose: boolean;
  timeoutMs?: number | undefined;
  envNames?: Partial<EnvNames> | undefined;
}

/**
 * `zdlabels export`: every member of the labels, as a CSV that `remove` takes
 * (user_id,label_id first, then name, email, assigned_time). To stdout without --out.
 */
export async function exportMembers(options: ExportOptions, io: Io): Promise<number> {
  options.labels.forEach((l) => checkId('label', l));
  if (options.helpCenterId !== undefined) checkId('help-center-id', options.helpCenterId);
  if (options.allLabels === (options.labels.length > 0)) throw new CommandLineError('Give --label ID (one or more) or --all-labels, not both and not neither');
  // Where it writes is checked before any call.
  if (options.out !== undefined) await checkWritable(resolve(io.cwd, options.out), '--out');
  const client = clientFor(io, options);
  const labels = await pickLabels(client, options.labels, options.allLabels, options.helpCenterId);
  const rows: MemberRow[] = [];
  for (const label of labels) rows.push(...(await labelMembers(client, label.id)));
  if (options.out === undefined) io.stdout.write(membersCsv(rows));
  else await writeMembers(resolve(io.cwd, options.out), rows);
  loggerFor(io).say(`exported ${rows.length} memberships of ${labels.length} label(s)${options.out === undefined ? '' : ` to ${resolve(io.cwd, options.out)}`}`);
  return 0;
}

export const exportCommand = commandModule({
  command: 'export',
  describe: 'Write every member of labels as a CSV that remove takes (user_id,label_id,name,email,assigned_time)',
  builder: (y) =>
    withOptions(y, ['timeout', 'verbose', 'all-labels'])
      .option('label', { ...optionTable.label, array: true, default: [] as string[], describe: 'Label ID (repeat for several)' })
      .option('help-center-id', { ...optionTable['help-center-id'], describe: 'With --all-labels: only this help center' })
      .option('out', { ...optionTable.out, describe: 'CSV file (default: stdout)' }),
  handler: (a) =>
    choose(a, (io) =>
      exportMembers({ labels: a.label.map(String), allLabels: a.allLabels, helpCenterId: a.helpCenterId, out: a.out, verbose: a.verbose, timeoutMs: timeoutMsOf(a.timeout) }, io),
    ),
});
