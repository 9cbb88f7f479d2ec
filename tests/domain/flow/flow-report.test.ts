import { describe, expect, it } from 'vitest';
import { flowReport, FlowReport } from '../../../src/Dps.Domain/flow/flow-report';
import type { FlowInput } from '../../../src/Dps.Domain/flow/flow-records';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { at, input, rollout, run, stage } from './flow-fixtures';

const MIN = 60_000;
const report = (i: FlowInput): FlowReport => {
  const r = flowReport(i);
  if (!r.ok) throw new Error(r.error.join('\n'));
  return r.value;
};

// One batch per model path: champion at registration, champion after a canary, a challenger still rolling out, a rejection.
const first = run('p1', 0, [stage('contract', 1, 2), stage('validate', 2, 6), stage('profile', 7, 8), stage('train', 10, 20)], {
  model: { name: 'churn', version: 1, alias: 'champion', registeredAt: at(19) },
});
const second = run('p2', 60, [stage('contract', 62, 63), stage('validate', 63, 70), stage('profile', 70, 71), stage('train', 75, 90)], {
  model: { name: 'churn', version: 2, alias: 'challenger', registeredAt: at(90) }, replays: 1,
});
const canary = rollout('churn', 2, 'promoted', 100, 170, [stage('canary-10', 100, 120), stage('canary-50', 130, 160)]);
const rejected = run('p3', 200, [stage('contract', 201, 202), stage('validate', 202, 205, 'rejected')], {
  dataset: 'loans', status: 'rejected', rows: { read: 50, accepted: 0, quarantined: 50, duplicates: 0 },
});

describe('flow report', () => {
  const r = report(input([first, second, rejected], [canary]));

  it('measures lead time to registered and to champion, through the canary when there was one', () => {
    expect(r.overall.leadTime.toRegistered).toMatchObject({ count: 2, totalMs: (19 + 30) * MIN });
    // p1 was champion at registration (19 min); p2 when its rollout promoted it at minute 170 (110 min after landing).
    expect(r.overall.leadTime.toChampion).toMatchObject({ count: 2, totalMs: (19 + 110) * MIN, maxMs: 110 * MIN });
    expect(r.overall.leadTime.toFinished).toMatchObject({ count: 3, totalMs: (20 + 30 + 5) * MIN });
  });

  it('splits the longest journeys into value-add and wait, and their sum is the lead time', () => {
    const e = r.overall.flowEfficiency;
    // p1 -> champion 19 (value-add 1+4+1+9 = 15), p2 -> champion 110 (1+7+1+15+20+30 = 74), p3 -> finished 5 (1+3 = 4).
    expect(e).toMatchObject({ journeys: 3, leadMs: 134 * MIN, valueAddMs: 93 * MIN, waitMs: 41 * MIN });
    expect(e.efficiency).toBeCloseTo(93 / 134, 12);
  });

  it('maps the value stream: processing and the wait in front of each stage, milestones last', () => {
    expect(r.overall.stages.map((s) => s.stage)).toEqual(['contract', 'validate', 'profile', 'train', 'canary-10', 'canary-50', 'champion']);
    const train = r.overall.stages.find((s) => s.stage === 'train');
    expect(train?.processing).toMatchObject({ count: 2, totalMs: 24 * MIN });
    expect(train?.waitBefore).toMatchObject({ count: 2, totalMs: (2 + 4) * MIN });
    // p2 waited from registration (90) to the canary (100): the queue in front of the rollout.
    expect(r.overall.stages.find((s) => s.stage === 'canary-10')?.waitBefore).toMatchObject({ count: 1, totalMs: 10 * MIN });
    // ... and from its last traffic step (160) to promotion (170).
    expect(r.overall.stages.find((s) => s.stage === 'champion')).toMatchObject({ processing: { count: 0 }, waitBefore: { count: 1, totalMs: 10 * MIN } });
  });

  it('counts throughput, takt time, first-pass yield and quarantine share', () => {
    expect(r.overall.throughput).toMatchObject({ finished: 3, accepted: 2, rejected: 1, failed: 0, registered: 2, championed: 2 });
    expect(r.overall.throughput.acceptedPerDay).toBeCloseTo(2 / 7, 12);
    // 3 arrivals in 7 days of 24 h: one batch demanded every 56 hours.
    expect(r.overall.takt).toMatchObject({ arrivals: 3, taktMs: 56 * 3_600_000 });
    // p2 needed a replay, p3 was rejected: one of three passed first time.
    expect(r.overall.firstPassYield).toEqual({ finished: 3, firstPass: 1, yield: 1 / 3 });
    expect(r.overall.quarantineShare).toEqual({ read: 250, quarantined: 70, share: 70 / 250 });
  });

  it('slices per dataset and per model', () => {
    expect(r.datasets.map((d) => [d.dataset, d.throughput.finished, d.quarantineShare.share])).toEqual([['churn', 2, 20 / 200], ['loans', 1, 1]]);
    expect(r.models.map((m) => [m.model, m.leadTime.toChampion.count, m.throughput.finished])).toEqual([['churn', 2, 2]]);
    // A rollout under way counts in the slice of the dataset that trained its model, not in the others.
    const live = report(input([first, rejected], [rollout('churn', 3, 'running', 300)]));
    expect(live.datasets.map((d) => [d.dataset, d.workInProgress.rollouts])).toEqual([['churn', 1], ['loans', 0]]);
  });

  it('estimates cost per run from stage time when usage was not measured, and from usage when it was', () => {
    // From stage time: p1 (16 min of stages up to its end, in 4 executions) at 2 GB.
    const alone = report(input([run('p1', 0, first.stages)])).overall.cost;
    expect(alone).toMatchObject({ estimate: true, currency: 'USD', runs: 1, fromStageTime: 1, storage: 0 });
    expect(alone.compute).toBeCloseTo(2 * 16 * 60 * 0.000026, 12);
    expect(alone.executions).toBeCloseTo((4 / 1e6) * 0.4, 15);
    const usage = { executions: 10, executionMs: 30_000, memoryMB: 4096, storageWrites: 200, storageReads: 1000 };
    const measured = report(input([run('p1', 0, first.stages, { usage })])).overall.cost;
    expect(measured.fromStageTime).toBe(0);
    expect(measured.compute).toBeCloseTo(4 * 30 * 0.000026, 12);
    expect(measured.storage).toBeCloseTo(0.02 * 0.065 + 0.1 * 0.005, 12);
    expect(measured.perRun).toBeCloseTo(measured.compute + measured.executions + measured.storage, 12);
  });

  it('counts work in progress at the end of the window, per stage and in rollouts', () => {
    const end = 7 * 24 * 60;
    const open = run('p4', end - 30, [stage('contract', end - 29, end - 28), stage('validate', end - 27)], { status: 'running' });
    const later = run('p5', end + 5, [], { status: 'running' });
    const live = report(input([first, open, later], [rollout('churn', 3, 'running', end - 10)]));
    expect(live.overall.workInProgress).toEqual({ runs: 1, rollouts: 1 });
    expect(live.overall.stages.find((s) => s.stage === 'validate')?.workInProgress).toBe(1);
    expect(live.overall.stages.find((s) => s.stage === 'contract')?.workInProgress).toBe(0);
    expect(live.overall.takt.arrivals).toBe(2);
  });

  it('leaves a rolled-back version without a champion lead time', () => {
    const back = report(input([second], [rollout('churn', 2, 'rolledBack', 100, 130)]));
    expect(back.overall.leadTime.toChampion.count).toBe(0);
    expect(back.overall.flowEfficiency.leadMs).toBe(30 * MIN);
  });

  it('keeps lead time = value-add + wait over random lines of runs and rollouts', () => {
    const random = createRandom(3);
    for (let trial = 0; trial < 50; trial++) {
      const runs = Array.from({ length: 1 + random.nextInt(20) }, (_, i) => {
        const landed = random.nextInt(9000);
        let cursor = landed;
        const stages = ['contract', 'validate', 'profile', 'train'].slice(0, 1 + random.nextInt(4)).map((name) => {
          const from = cursor + random.nextInt(30);
          cursor = from + random.nextInt(60);
          return stage(name, from, cursor);
        });
        const alias = random.next() < 0.5 ? 'champion' : 'challenger';
        return run(`r${i}`, landed, stages, { model: { name: `m${i % 3}`, version: i, alias, registeredAt: at(cursor - random.nextInt(2)) } });
      });
      const rollouts = runs.filter((r) => r.model?.alias === 'challenger').map((r) => {
        const from = Date.parse(r.model?.registeredAt as string) / MIN - Date.parse(at(0)) / MIN + random.nextInt(100);
        return rollout(r.model?.name as string, r.model?.version as number, 'promoted', from, from + random.nextInt(300), random.next() < 0.5 ? [] : [stage('canary', from + 1, from + 2)]);
      });
      const out = report(input(runs, rollouts));
      for (const slice of [out.overall, ...out.datasets, ...out.models]) {
        expect(slice.flowEfficiency.valueAddMs + slice.flowEfficiency.waitMs).toBe(slice.flowEfficiency.leadMs);
        const stageTotals = slice.stages.reduce((sum, s) => sum + s.waitBefore.totalMs, 0);
        expect(stageTotals).toBe(slice.flowEfficiency.waitMs);
      }
    }
  });
});
