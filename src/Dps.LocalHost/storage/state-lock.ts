import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** The file in a state directory that names the process using it. */
export const STATE_LOCK_FILE = 'local-host.lock';

/** Another live process holds the state directory. */
export class StateDirInUseError extends Error {}

interface Holder {
  pid: number;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined;
  }
}

/**
 * Claims a state directory for this process: two Azurite instances on the same files would corrupt
 * them, so a second claimant (another host, a command line tool, a test host) fails with a message naming
 * the holder. A lock left by a process that died is taken over. Returns the release function.
 */
export function claimStateDir(dir: string): () => void {
  const file = path.join(dir, STATE_LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, command: process.argv.slice(1).map((a) => path.basename(a)).join(' '), since: new Date().toISOString() });
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      return () => {
        if (readHolder(file)?.pid === process.pid) unlinkSync(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder.pid)) {
      const who = holder.pid === process.pid ? 'this process' : `process ${holder.pid} (${holder.command})`;
      throw new StateDirInUseError(`the state directory ${dir} is in use by ${who} since ${holder.since}; only one process can open local storage at a time, so stop it first`);
    }
    unlinkSync(file);
  }
}
