// How a command's yargs module hands its work to runCli. yargs only parses: a
// handler puts the command's work in the session, and runCli runs it after
// parsing, outside yargs (whose failure handler would otherwise see the
// command's own errors). --help and --version put none.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { Io } from '../io.js';

/** A command's work once its options are parsed: it gives the exit code. */
export type Work = (io: Io) => Promise<number>;

export interface Session {
  io: Io;
  work?: Work | undefined;
}

/** runCli passes the session to yargs as parse context under this key: a symbol, so no flag can set it. */
export const sessionKey = Symbol('zdlabels session');

export function sessionOf(argv: object): Session {
  const session = (argv as { [sessionKey]?: Session })[sessionKey];
  if (session === undefined) throw new Error('a command was parsed outside runCli');
  return session;
}

/** A handler's only act: choosing the work. */
export function choose(argv: object, work: Work): void {
  sessionOf(argv).work = work;
}

/** A yargs command module, typed: the handler's arguments are what the builder declares. */
export function commandModule<A>(module: {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv<A>;
  handler: (argv: ArgumentsCamelCase<A>) => void;
}): CommandModule<object, A> {
  return module;
}
