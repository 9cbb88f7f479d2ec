import type { PipelineView } from './app-client';
import type { CliIo } from './command';

const STAGES = ['contract', 'validate', 'profile', 'test-set', 'train'];

/**
 * Shows pipeline progress on stderr: a redrawn bar on a terminal, one line per finished stage
 * otherwise (logs and CI stay readable).
 */
export function createProgress(io: CliIo): { update(view: PipelineView): void; done(): void } {
  const reported = new Set<string>();
  let drawn = false;
  return {
    update(view) {
      const stages = view.stages ?? [];
      if (io.isTty) {
        const finished = stages.filter((s) => s.status !== 'running').length;
        const current = stages.find((s) => s.status === 'running')?.name ?? (view.runtimeStatus === 'Completed' ? 'done' : 'starting');
        const total = Math.max(STAGES.length, stages.length);
        const width = 24;
        const filled = Math.round((finished / total) * width);
        io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${current.padEnd(10)}`);
        drawn = true;
        return;
      }
      for (const stage of stages) {
        if (stage.status === 'running' || reported.has(stage.name)) continue;
        reported.add(stage.name);
        const ms = stage.durationMs !== undefined ? ` ${(stage.durationMs / 1000).toFixed(1)}s` : '';
        io.stderr(`${stage.name}: ${stage.status}${ms}${stage.detail ? ` - ${stage.detail}` : ''}\n`);
      }
    },
    done() {
      if (drawn) io.stderr('\n');
    },
  };
}
