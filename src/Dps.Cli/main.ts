import { CliCommand, CliIo, UsageError } from './command';
import { commands } from './commands';

const FOOTER = ['', 'Options for every command: --help, --json (one JSON object on stdout, also on failure), --verbose (stack traces on errors)',
  'Exit codes: 0 success, 2 data or pipeline rejected, 1 usage or I/O error.'];

function listing(of: CliCommand[]): string[] {
  return of.map((c) => `  ${c.path.join(' ').padEnd(18)} ${c.summary}`);
}

function helpText(): string {
  return ['dps - Digital Production System command line', '', 'Usage: dps <command> [options]', '', 'Commands:', ...listing(commands), ...FOOTER].join('\n') + '\n';
}

/** The help of a command group (`dps contract`, `dps finops`, ...): its sub-commands. */
function groupHelp(group: string, members: CliCommand[]): string {
  return [`Usage: dps ${group} <command> [options]`, '', 'Commands:', ...listing(members), '', `Run 'dps ${group} <command> --help' for a command's options.`].join('\n') + '\n';
}

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const matches = commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length);
  const command = matches[0];
  return command ? { command, rest: argv.slice(command.path.length) } : undefined;
}

/**
 * With --json a failure must still print one JSON object: a command that ends with a non-zero code
 * without writing stdout gets `{"status":"rejected"|"error","error":...}` made from its last stderr line.
 */
function withJsonOutcome(io: CliIo): { io: CliIo; settle(code: number): number } {
  let wroteStdout = false;
  let lastError = '';
  const tracked: CliIo = {
    ...io,
    stdout: (text) => { wroteStdout = true; io.stdout(text); },
    stderr: (text) => {
      const line = text.split('\n').find((l) => l.trim() !== '');
      if (line !== undefined && !text.startsWith('\r')) lastError = line.replace(/^dps [a-z ]+: (error: |rejected: )?/, '');
      io.stderr(text);
    },
  };
  return {
    io: tracked,
    settle(code) {
      if (code !== 0 && !wroteStdout) io.stdout(JSON.stringify({ status: code === 2 ? 'rejected' : 'error', error: lastError || `exit code ${code}` }) + '\n');
      return code;
    },
  };
}

/** Runs the CLI for argv (without node and script) and resolves to the exit code; never throws. */
export async function runCli(argv: string[], rawIo: CliIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  const json = withJsonOutcome(rawIo);
  const io = argv.includes('--json') ? json.io : rawIo;
  const settle = argv.includes('--json') ? json.settle : (code: number) => code;
  if (argv.length === 0) {
    io.stderr(helpText());
    return settle(1);
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = commands.filter((c) => c.path.length > 1 && c.path[0] === argv[0]);
    const asksHelp = argv.includes('--help') || argv.includes('-h');
    if (group.length > 0 && (asksHelp || argv.length === 1 || argv[1].startsWith('-'))) {
      if (asksHelp) {
        io.stdout(groupHelp(argv[0], group));
        return 0;
      }
      io.stderr(groupHelp(argv[0], group));
      return settle(1);
    }
    io.stderr(`dps: unknown command '${argv.filter((a) => !a.startsWith('-')).join(' ')}'; run 'dps --help'\n`);
    return settle(1);
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(found.command.usage.endsWith('\n') ? found.command.usage : found.command.usage + '\n');
    return 0;
  }
  try {
    return settle(await found.command.run(found.rest, io));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const prefix = err instanceof UsageError ? '' : 'error: ';
    io.stderr(`dps ${found.command.path.join(' ')}: ${prefix}${message.split('\n')[0]}\n`);
    if (verbose && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return settle(1);
  }
}

/** Process entry: wires the real streams and sets the exit code. */
export async function main(): Promise<void> {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
