import { runCli } from '../../src/Dps.Cli/main';

/** Runs `dps demo --json` in this process: its exit code, the one JSON object it printed, and stderr. */
export async function runDemo(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['demo', '--json', ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, cwd: process.cwd() });
  return { code, result: JSON.parse(stdout), stderr };
}
