import { CliCommand, CliIo, UsageError } from './command';
import { commands } from './commands';

function helpText(): string {
  const lines = ['dps - Digital Production System command line', '', 'Usage: dps <command> [options]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.path.join(' ').padEnd(18)} ${c.summary}`);
  lines.push('', 'Options for every command: --help, --verbose (stack traces on errors)');
  lines.push('Exit codes: 0 success, 2 data or pipeline rejected, 1 usage or I/O error.');
  return lines.join('\n') + '\n';
}

function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const matches = commands
    .filter((c) => c.path.every((word, i) => argv[i] === word))
    .sort((a, b) => b.path.length - a.path.length);
  const command = matches[0];
  return command ? { command, rest: argv.slice(command.path.length) } : undefined;
}

/** Runs the CLI for argv (without node and script) and resolves to the exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText());
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`dps: unknown command '${argv.filter((a) => !a.startsWith('-')).join(' ')}'; run 'dps --help'\n`);
    return 1;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout(found.command.usage.endsWith('\n') ? found.command.usage : found.command.usage + '\n');
    return 0;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const prefix = err instanceof UsageError ? '' : 'error: ';
    io.stderr(`dps ${found.command.path.join(' ')}: ${prefix}${message.split('\n')[0]}\n`);
    if (verbose && err instanceof Error && err.stack) io.stderr(err.stack + '\n');
    return 1;
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
