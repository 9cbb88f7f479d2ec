/** One stage of a pipeline run, as `GET /api/pipelines/{id}` shows it. */
export interface StageRecord {
  name: string;
  status: 'running' | 'succeeded' | 'rejected' | 'failed' | 'skipped';
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  detail?: string;
}

/**
 * Keeps stage timings from the orchestration's replay-safe clock (`currentUtcDateTime`), so replays
 * rebuild exactly the same records.
 */
export class StageTracker {
  readonly stages: StageRecord[] = [];

  /** Opens a stage at `now`. */
  begin(name: string, now: Date): void {
    this.stages.push({ name, status: 'running', startedAt: now.toISOString() });
  }

  /** Closes the open stage at `now`. */
  end(status: StageRecord['status'], now: Date, detail?: string): void {
    const stage = this.stages[this.stages.length - 1];
    if (!stage || stage.status !== 'running') return;
    stage.status = status;
    stage.endedAt = now.toISOString();
    stage.durationMs = now.getTime() - Date.parse(stage.startedAt);
    if (detail) stage.detail = detail;
  }

  /** Records a stage that did not run. */
  skip(name: string, now: Date, detail: string): void {
    this.stages.push({ name, status: 'skipped', startedAt: now.toISOString(), endedAt: now.toISOString(), durationMs: 0, detail });
  }
}
