import { describe, expect, it } from 'vitest';
import { buildDriftReference } from '../../src/Dps.Domain/drift/drift-reference';
import { resolveDriftThresholds } from '../../src/Dps.Domain/drift/drift-thresholds';
import { mergeSketches } from '../../src/Dps.Domain/drift/window-sketch';
import { foldRows, MonitoredRow, MonitorSettings, newMonitor } from '../../src/Dps.Functions/drift/monitor-state';

// A seeded generator, so windows are the same on every run.
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const u = rng(11);
const referenceRows = Array.from({ length: 3000 }, () => ({ x: u() * 10, plan: u() < 0.5 ? 'a' : 'b' }));
const reference = buildDriftReference('test v1', [
  { name: 'x', kind: 'numeric', values: referenceRows.map((r) => r.x) },
  { name: 'plan', kind: 'categorical', values: referenceRows.map((r) => r.plan) },
]);
const thresholds = resolveDriftThresholds([]);
if (!thresholds.ok) throw new Error('defaults');
const settings: MonitorSettings = { window: { by: 'rows', rows: 200, minRows: 50 }, hysteresis: { enter: 2, exit: 2 }, thresholds: thresholds.value };

/** Rows from the reference's distribution, or shifted (x + 5, mostly plan b). */
function rows(count: number, from: number, shifted: boolean, partition = '0', seed = from + 1): MonitoredRow[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, i) => ({
    partition, sequence: from + i, at: '2026-11-29T10:00:00.000Z',
    values: shifted ? { x: 5 + r() * 10, plan: r() < 0.1 ? 'a' : 'b' } : { x: r() * 10, plan: r() < 0.5 ? 'a' : 'b' },
  }));
}

describe('drift monitor fold', () => {
  it('closes a row window at its size, skips redelivered events, and enters drift after two drifted windows', () => {
    let state = newMonitor('m', 1, reference);
    const first = foldRows(state, reference, rows(150, 0, false), settings, 0);
    expect(first.closed).toEqual([]);
    expect(first.state.open[0].rows).toBe(150);
    // The same events again (a redelivery) change nothing; the next 50 close the window.
    const again = foldRows(first.state, reference, [...rows(150, 0, false), ...rows(50, 150, false)], settings, 0);
    expect(again.applied).toBe(50);
    expect(again.closed).toHaveLength(1);
    expect(again.closed[0].drift).toMatchObject({ start: '0', end: '200', rows: 200, datasetDrift: false });
    state = again.state;
    expect(state.open).toEqual([]);
    const drifted1 = foldRows(state, reference, rows(200, 200, true), settings, 0);
    expect(drifted1.closed[0].drift.datasetDrift).toBe(true);
    expect(drifted1.closed[0]).toMatchObject({ changed: false, hysteresis: { status: 'clean', streak: 1 } });
    const drifted2 = foldRows(drifted1.state, reference, rows(200, 400, true), settings, 0);
    expect(drifted2.closed[0]).toMatchObject({ index: 2, changed: true, hysteresis: { status: 'drift', since: '600' } });
    const drifted = drifted2.closed[0].drift.features.filter((f) => f.drift).map((f) => f.name);
    expect(drifted.sort()).toEqual(['plan', 'x']);
    // Partitions are tracked separately: sequence 0 of partition 1 is new.
    const other = foldRows(drifted2.state, reference, rows(10, 0, false, '1'), settings, 0);
    expect(other.applied).toBe(10);
    expect(other.state.partitions).toEqual({ '0': 599, '1': 9 });
  });

  it('merges sketches filled by two instances into the same counts as one instance', () => {
    const start = newMonitor('m', 1, reference);
    const a = rows(80, 0, false, '0');
    const b = rows(70, 0, true, '1');
    const one = foldRows(start, reference, [...a, ...b], settings, 0).state.open[0];
    const left = foldRows(start, reference, a, settings, 0).state.open[0];
    const right = foldRows(start, reference, b, settings, 0).state.open[0];
    const merged = mergeSketches(left, right);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.rows).toBe(one.rows);
    expect(merged.value.features.plan).toEqual(one.features.plan);
    expect((merged.value.features.x as { counts: number[] }).counts).toEqual((one.features.x as { counts: number[] }).counts);
  });

  it('closes time windows at their end: with enough rows a verdict, with too few none', () => {
    const timed: MonitorSettings = { ...settings, window: { by: 'time', minutes: 60, minRows: 50 } };
    const at = (iso: string, list: MonitoredRow[]) => list.map((r) => ({ ...r, at: iso }));
    const batch = [...at('2026-11-29T10:10:00.000Z', rows(60, 0, false)), ...at('2026-11-29T11:05:00.000Z', rows(10, 60, false))];
    const during = foldRows(newMonitor('m', 1, reference), reference, batch, timed, Date.parse('2026-11-29T11:30:00.000Z'));
    expect(during.closed.map((c) => [c.drift.start, c.drift.rows])).toEqual([['2026-11-29T10:00:00.000Z', 60]]);
    expect(during.state.open.map((s) => s.start)).toEqual(['2026-11-29T11:00:00.000Z']);
    const after = foldRows(during.state, reference, [], timed, Date.parse('2026-11-29T12:00:00.000Z'));
    expect(after.closed).toEqual([]);
    expect(after.state).toMatchObject({ open: [], tooSmall: 1 });
  });

  it('starts clean on a new champion, keeping window numbers and partitions', () => {
    const drifted = foldRows(newMonitor('m', 1, reference), reference, rows(400, 0, true), settings, 0).state;
    expect(drifted.hysteresis.status).toBe('drift');
    const next = newMonitor('m', 2, reference, drifted);
    expect(next).toMatchObject({ referenceVersion: 2, closed: 2, rows: 0, open: [], hysteresis: { status: 'clean', streak: 0 }, partitions: { '0': 399 } });
  });
});
