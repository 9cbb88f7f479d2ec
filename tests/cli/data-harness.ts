import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { runCli } from '../../src/Dps.Cli/main';

/** Outcome of one CLI run with captured streams. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp directory removed after the test file, and a runner whose relative paths resolve inside it. */
export function cliWorkspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'dps-cli-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name: string, content: string | Uint8Array): string {
      writeFileSync(path.join(dir, name), content);
      return name;
    },
    async run(...argv: string[]): Promise<CliRun> {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, cwd: dir });
      // Whatever happens, no stack trace reaches the user.
      expect(stderr).not.toMatch(/\n\s+at /);
      return { code, stdout, stderr };
    },
  };
}

/** Parses --json output and checks that the rows add up. */
export function jsonReport(run: CliRun) {
  const report = JSON.parse(run.stdout);
  const { read, accepted, quarantined, duplicates } = report.rows;
  expect(read).toBe(accepted + quarantined + duplicates);
  return report;
}
