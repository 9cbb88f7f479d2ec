import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/Dps.Domain/audit/audit-event';
import { auditOutput } from '../../src/Dps.Functions/audit/audit-output';
import { ModelRegistry } from '../../src/Dps.Functions/registry/model-registry';
import { putBlob } from '../../src/Dps.Functions/storage/blob-io';
import { RegisterInput, TRAIN_REGISTER, trainRegister } from '../../src/Dps.Functions/training/train-register.activity';
import { activityContext, FaultPlan, InjectedFault, startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;
const planRef = { container: 'registerfault', name: 'plan.json' };

beforeAll(async () => {
  env = await startStorage();
  await putBlob(env.storage.blobs, planRef, JSON.stringify({ pipeline: { label: 'y', features: [{ name: 'x', kind: 'numeric' }] } }));
});
afterAll(async () => {
  await env?.azurite.stop();
});

const metrics = { auc: 0.8, logloss: 0.5, accuracy: 0.75 };

/** What the registry is given for one training run of `model`. */
const input = (model: string): RegisterInput => ({
  input: {
    model, dataset: 'd', datasetSha256: 'ab'.repeat(32), contractRevision: 1, silver: { container: 'silver', name: 'd/1.csv' },
    pipelineInstanceId: `pipeline-${model}`, submittedBy: 'tester', trials: 2, seed: 7,
  },
  plan: planRef,
  candidates: [{ id: 'trial-0', kind: 'gbdt', trial: 0, params: { depth: 3 }, validationLoss: 0.4, bestIteration: 20, metrics }],
  evaluation: {
    artifact: { container: 'models', name: `${model}/bundle.json`, sha256: 'cd'.repeat(32) },
    winner: { id: 'trial-0', kind: 'gbdt', trial: 0, params: { depth: 3 }, validationLoss: 0.4, bestIteration: 20, metrics },
    selection: { metric: 'auc', winner: { id: 'trial-0', kind: 'gbdt' }, margin: 0.05, summary: 'trial-0 (gbdt) won' },
    decisions: { calibration: { method: 'none' }, classWeights: 'none' },
    metrics, baseline: { auc: 0.7, logloss: 0.6, accuracy: 0.7 },
    evaluation: { kind: 'holdout', rows: 100, source: 'holdout' },
    accounting: { read: 100, scored: 100, quarantined: 0, duplicates: 0, unlabelled: 0 },
    details: { container: 'models', name: `${model}/details.json` },
  },
  task: 'binary',
  warnings: [],
} as unknown as RegisterInput);

/** Registers a run of `model`; the registry write numbered `failAt` fails once and the activity runs again. */
async function register(model: string, failAt: number) {
  const plan = new FaultPlan(failAt);
  const writes = ['createEntity', 'upsertEntity', 'updateEntity', 'submitTransaction'];
  const tables = (name: string) => async () => plan.wrap(name, await env.storage.table(name), writes) as TableClient;
  const registry = new ModelRegistry(tables('models'), tables('aliases'));
  const handler = trainRegister({ ...env.deps(), registry: () => registry });
  let context = activityContext(TRAIN_REGISTER.name);
  let failed = false;
  const trained = await handler(input(model), context).catch(async (error: unknown) => {
    if (!(error instanceof InjectedFault)) throw error;
    failed = true;
    // The host sends a failed invocation's outputs nowhere: only the re-run's events reach the audit hub.
    context = activityContext(TRAIN_REGISTER.name);
    return handler(input(model), context);
  });
  const clean = new ModelRegistry(() => env.storage.table('models'), () => env.storage.table('aliases'));
  const strip = <T extends { model: string }>(x: T) => ({ ...x, model: '' });
  const history: unknown[] = [];
  for await (const row of (await env.storage.table('aliases')).listEntities({ queryOptions: { filter: `PartitionKey eq '${model}'` } })) history.push(row.rowKey);
  return {
    failed,
    trained: { ...trained, name: '' },
    versions: (await clean.versions(model)).map((v) => ({ version: v.version, lineage: v.lineage.pipelineInstanceId.replace(model, '') })),
    aliases: (await clean.aliasesOf(model)).map(strip).map((a) => ({ ...a, at: '', why: '' })),
    rows: history.length,
    audit: ((context.extraOutputs.get(auditOutput) as AuditEvent[] | undefined) ?? []).map((e) => `${e.what} ${e.id.replace(model, '')}`),
  };
}

it('registers one version with its alias and history, auditing each once, when registering is re-run after a failure at any of its writes', async () => {
  const clean = await register('clean', 0);
  expect(clean.versions).toEqual([{ version: 1, lineage: 'pipeline-' }]);
  expect(clean.aliases.map((a) => a.alias)).toEqual(['champion']);
  expect(clean.audit).toEqual(['model.registered model--v1', 'model.alias.moved alias--champion-v1']);
  // Three writes: the version row, then the alias row and its history row.
  for (const failAt of [1, 2, 3]) {
    const faulted = await register(`faulted${failAt}`, failAt);
    expect(faulted.failed, `write ${failAt}`).toBe(true);
    expect({ ...faulted, failed: true }, `write ${failAt}`).toEqual({ ...clean, failed: true });
  }
});
