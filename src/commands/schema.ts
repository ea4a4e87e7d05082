import { jobSchema } from '../jobs/jobSchema.js';
import { choose, commandModule } from './commandModule.js';

/** `zdlabels schema`: the JSON Schema of job files, as schema/job.schema.json holds it. */
export const schemaCommand = commandModule({
  command: 'schema',
  describe: 'Print the JSON Schema of job files',
  builder: (y) => y,
  handler: (a) =>
    choose(a, async (io) => {
      io.stdout.write(`${JSON.stringify(jobSchema, null, 2)}\n`);
      return 0;
    }),
});
