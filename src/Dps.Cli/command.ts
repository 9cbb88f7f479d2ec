/** Where a CLI command writes; tests pass buffers, the real CLI passes the process streams. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress bars only then). */
  isTty: boolean;
  /** Working directory that relative paths resolve against. */
  cwd: string;
}

/** A usage or I/O problem the user must fix: exit code 1, one line on stderr. */
export class UsageError extends Error {}

/** One `dps` sub-command. `run` resolves to the process exit code (0 ok, 2 rejected, 1 usage/I-O). */
export interface CliCommand {
  /** Words that select the command, e.g. ['contract', 'infer']. */
  path: string[];
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}
