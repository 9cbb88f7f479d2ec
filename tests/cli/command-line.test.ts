import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './data-harness';

describe('the dps command line itself', () => {
  const ws = cliWorkspace();

  it('prints its help and exits 1 when called with nothing, 0 when asked for help', async () => {
    const bare = await ws.run();
    expect(bare.code).toBe(1);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toMatch(/^dps - Digital Production System command line\n/);
    const asked = await ws.run('--help');
    expect(asked).toEqual({ code: 0, stdout: bare.stderr, stderr: '' });
  });

  it.each([['contract', ['infer']], ['finops', ['plan', 'seed']], ['audit', ['verify']]])('prints the help of the %s group', async (group, members) => {
    const asked = await ws.run(group, '--help');
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(new RegExp(`^Usage: dps ${group} <command>`));
    for (const member of members) expect(asked.stdout).toMatch(new RegExp(`^  ${group} ${member} `, 'm'));
    const bare = await ws.run(group);
    expect(bare).toEqual({ code: 1, stdout: '', stderr: asked.stdout });
  });

  it('prints one JSON object on stdout for a usage error when --json is given, and nothing there without it', async () => {
    const json = await ws.run('validate', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ status: 'error', error: 'missing required option --data' });
    expect(json.stderr).toBe('dps validate: missing required option --data\n');
    const text = await ws.run('validate');
    expect(text).toEqual({ code: 1, stdout: '', stderr: json.stderr });
  });

  it('answers an unknown command with --json as a JSON error too', async () => {
    const r = await ws.run('teleport', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'error', error: "dps: unknown command 'teleport'; run 'dps --help'" });
  });
});
