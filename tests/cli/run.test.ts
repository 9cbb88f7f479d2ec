import { afterAll, describe, expect, it } from 'vitest';
import { CliRun, cliWorkspace, jsonReport } from './data-harness';
import { auc } from '../../src/Dps.Domain/ml/binary-metrics';
import { bankLikeTable, housingLikeCsv } from './fixtures/synthetic-tables';
import path from 'node:path';
import { withLocalStorage } from '../../src/Dps.Cli/commands/local-state';
import { readSettings } from '../../src/Dps.Functions/settings';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import type { AppClient, PipelineView } from '../../src/Dps.Cli/app-client';
import { dueAuditEvents, ListedEvent, waitForAuditEvents } from '../../src/Dps.Cli/commands/run-audit';

// Two trials instead of six keep the file fast; the figures below hold with two.
const trials = process.env.DPS_TRAINING_TRIALS;
process.env.DPS_TRAINING_TRIALS = '2';
afterAll(() => {
  if (trials === undefined) delete process.env.DPS_TRAINING_TRIALS;
  else process.env.DPS_TRAINING_TRIALS = trials;
});

const ws = cliWorkspace();
const dataRows = (csv: string, header = true) => csv.trimEnd().split('\n').length - (header ? 1 : 0);

/** Parses `--json` output (rows must add up) and checks the rows read are the file's data rows. */
function runReport(run: CliRun, rows: number) {
  expect(run.code, run.stderr).toBe(0);
  const report = jsonReport(run);
  expect(report.status).toBe('accepted');
  expect(report.rows.read).toBe(rows);
  return report;
}

describe('dps run on datasets it has not seen, given only --data and --label', () => {
  it('bank-marketing-like (";", quoted text, "unknown" values, yes/no label, rows in call order): binary, AUC >= 0.90', async () => {
    // 12,000 rows: more than the 10,000 that inference samples, and the last rows reach months
    // the sample never saw, as the original file (45,211 rows in date order) does.
    const { csv, probabilities } = bankLikeTable(12_000);
    ws.write('bank-full.csv', csv);
    // The ceiling: the true probabilities themselves rank at about 0.955.
    const labels = Float64Array.from(csv.trimEnd().split('\n').slice(1), (line) => (line.endsWith('"yes"') ? 1 : 0));
    expect(auc(labels, Float64Array.from(probabilities))).toBeGreaterThan(0.94);
    const report = runReport(await ws.run('run', '--data', 'bank-full.csv', '--label', 'y', '--json'), dataRows(csv));
    expect(report.model).toMatchObject({ name: 'bank-full', task: 'binary', algorithm: 'gbdt', evaluation: { kind: 'holdout' } });
    expect(Object.keys(report.model.metrics)).toEqual(expect.arrayContaining(['auc', 'logloss', 'accuracy', 'f1']));
    expect(report.model.metrics.auc).toBeGreaterThanOrEqual(0.9);
    expect(report.model.baseline.auc).toBeLessThan(report.model.metrics.auc - 0.01);
    // Inference samples across the whole file, so the months that only its last rows reach are in the
    // contract's domain: none of those rows is quarantined.
    expect(report.rows.quarantined).toBe(0);
    expect(report.warnings.join('\n')).not.toMatch(/domain \(column 'month'\)/);
  });

  it('California-housing-like (blank cells, text category with "<1H OCEAN"): regression, R² >= 0.78', async () => {
    const csv = housingLikeCsv(8_000);
    ws.write('housing.csv', csv);
    const report = runReport(await ws.run('run', '--data', 'housing.csv', '--label', 'median_house_value', '--json'), dataRows(csv));
    expect(report.model).toMatchObject({ task: 'regression', evaluation: { kind: 'holdout' } });
    expect(Object.keys(report.model.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(report.model.metrics.r2).toBeGreaterThanOrEqual(0.78);
    // Not a task a straight line solves: the linear baseline is well behind.
    expect(report.model.baseline.r2).toBeLessThan(report.model.metrics.r2 - 0.05);
  });

  it('trains a label with three classes as multiclass, reporting the winner and every test row', async () => {
    const rows = Array.from({ length: 900 }, (_, i) => {
      const x = (i * 37) % 101;
      const colour = ['red', 'green', 'blue'][i % 3];
      const kind = x < 30 ? 'a' : colour === 'blue' || x > 80 ? 'b' : 'c';
      return `${x},${colour},${(i * 13) % 17 === 0 ? 'c' : kind}`;
    });
    ws.write('three.csv', ['x,colour,kind', ...rows].join('\n') + '\n');
    const report = runReport(await ws.run('run', '--data', 'three.csv', '--label', 'kind', '--json'), 900);
    expect(report.model).toMatchObject({ task: 'multiclass', evaluation: { kind: 'holdout' }, selection: { metric: 'logloss' }, threshold: null });
    expect(Object.keys(report.model.metrics)).toEqual(['accuracy', 'macro_f1', 'logloss']);
    expect(report.model.metrics.accuracy).toBeGreaterThan(0.8);
    expect(report.model.selection.winner.kind).toBe(report.model.algorithm);
    expect(report.model.accounting).toMatchObject({ read: report.model.evaluation.rows, scored: report.model.evaluation.rows, quarantined: 0, duplicates: 0, unlabelled: 0 });
  });

  it('takes a header-less file with --columns', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => {
      const a = (i * 37) % 101;
      const b = ['north', 'south', 'east'][i % 3];
      return `${a},${b},${a + (b === 'north' ? 30 : 0) + ((i * 13) % 29) > 70 ? 'good' : 'bad'}`;
    });
    ws.write('plain.csv', rows.join('\n') + '\n');
    const report = runReport(await ws.run('run', '--data', 'plain.csv', '--columns', 'a,b,c', '--label', 'c', '--json'), 600);
    expect(report.model).toMatchObject({ task: 'binary' });
    expect(report.model.metrics.auc).toBeGreaterThan(0.8);
  });

  it('evaluates on the --test file when one is given', async () => {
    const train = bankLikeTable(3_000, 21).csv;
    const test = bankLikeTable(1_000, 22).csv;
    ws.write('calls.csv', train);
    ws.write('calls-test.csv', test);
    const report = runReport(await ws.run('run', '--data', 'calls.csv', '--test', 'calls-test.csv', '--label', 'y', '--json'), 3_000);
    expect(report.model.evaluation).toEqual({ kind: 'test-set', rows: 1_000 });
    const text = await ws.run('run', '--data', 'calls.csv', '--test', 'calls-test.csv', '--label', 'y');
    expect(text.stdout).toMatch(/on the test set \(1000 rows\)\n/);
    expect(text.stdout).toMatch(/^linear baseline on the same rows: auc 0\.\d{4}/m);
    expect(text.stdout).toMatch(/^selected: (trial-\d+ \(gbdt\)|linear-baseline \(linear\)) won on validation auc 0\.\d{4} vs 0\.\d{4} .*margin/m);
    expect(text.stdout).toMatch(/^decision threshold 0\.\d{4} \(maximum F1 on the validation split\); calibration: (none|platt|isotonic)$/m);
    expect(text.stdout).toMatch(/^evaluation rows: 1000 read = 1000 scored \+ 0 quarantined \+ 0 duplicates \+ 0 without a usable label$/m);
    expect(text.stdout).toMatch(/^evaluation note: (no evaluation row repeats another|\d+ scored row\(s\) .* repeat an earlier evaluation row exactly.*)$/m);
    expect(text.stdout).toMatch(/^refit: (trial-\d+|linear-baseline) refitted after selection on all 3000 training rows \(2400 fit \+ 600 validation\)/m);
    expect(text.stdout).toMatch(/--state DIR to keep it/);
  });
});

describe('dps run and the audit chain', () => {
  it('exits with every audit record of a --state run in the chain, and the chain verifies', async () => {
    ws.write('audited.csv', bankLikeTable(1_500, 31).csv);
    const report = runReport(await ws.run('run', '--data', 'audited.csv', '--label', 'y', '--state', 'audited-state', '--json'), 1_500);
    const dir = path.join(ws.dir, 'audited-state');
    const { records } = await withLocalStorage(dir, { mustExist: true }, async (storage) => (await openAuditStore(storage, readSettings())).chain.readChain());
    const events = records.map((r) => r.event);
    const ofRun = events.filter((e) => e.where.instanceId === report.instanceId).map((e) => e.what).sort();
    expect(ofRun).toEqual(['dataset.batch.validated', 'model.alias.moved', 'model.registered', 'pipeline.finished']);
    expect(events.filter((e) => e.what === 'contract.stored').map((e) => e.subjects)).toEqual([expect.objectContaining({ dataset: 'audited' })]);
    expect(events.find((e) => e.what === 'model.registered')?.subjects).toMatchObject({ model: report.model.name, version: String(report.model.version) });
    const verify = await ws.run('audit', 'verify', '--state', 'audited-state', '--json');
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, length: records.length });
  });

  it('reads every page of the audit list for the run\'s records, and names the records still missing when the wait runs out', async () => {
    const view = { instanceId: 'i1', runtimeStatus: 'Completed', model: { name: 'm', version: 2, alias: 'challenger' } } as unknown as PipelineView;
    const due = dueAuditEvents('i1', view);
    const finished: ListedEvent = { id: 'run-i1-a', what: 'pipeline.finished', where: { instanceId: 'i1' } };
    const registered: ListedEvent = { id: 'model-m-v2', what: 'model.registered', where: { instanceId: 'i1' } };
    const alias: ListedEvent = { id: 'alias-m-challenger-v2', what: 'model.alias.moved', where: { instanceId: 'i1' } };
    const other: ListedEvent = { id: 'run-i0-a', what: 'pipeline.finished', where: { instanceId: 'i0' } };
    // Newest first, in two pages: the version record is on the second.
    const client = (pages: ListedEvent[][]) => ({
      auditEvents: async (query: Record<string, string | undefined>) => {
        const index = Number(query.continuationToken ?? 0);
        return { items: pages[index], continuationToken: index + 1 < pages.length ? String(index + 1) : null };
      },
    }) as unknown as AppClient;
    expect(await waitForAuditEvents(client([[alias, finished], [other, registered]]), '2026-01-01T00:00:00Z', due, 0)).toEqual([]);
    expect(await waitForAuditEvents(client([[alias, other], [registered]]), '2026-01-01T00:00:00Z', due, 0)).toEqual(['pipeline.finished of i1']);
    expect(await waitForAuditEvents(client([[finished]]), '2026-01-01T00:00:00Z', due, 0)).toEqual(['model-m-v2', 'alias-m-challenger-v2']);
    // A run that did not complete records no pipeline.finished: nothing to wait for.
    expect(dueAuditEvents('i1', { ...view, runtimeStatus: 'Failed' })).toEqual([]);
  });
});

describe('dps run usage and I/O errors (exit 1, one line, no stack)', () => {
  it('names a data file that cannot be read', async () => {
    expect(await ws.run('run', '--data', 'nope.csv', '--label', 'y')).toEqual({ code: 1, stdout: '', stderr: "dps run: cannot read data file 'nope.csv': no such file\n" });
  });

  it('refuses --contract together with --label', async () => {
    ws.write('tiny.csv', 'a,b\n1,x\n');
    ws.write('tiny.contract.json', '{}');
    expect(await ws.run('run', '--data', 'tiny.csv', '--contract', 'tiny.contract.json', '--label', 'b')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'dps run: give either --contract, or --columns/--label to infer one, not both\n',
    });
  });
});
