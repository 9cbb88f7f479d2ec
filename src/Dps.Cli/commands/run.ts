import path from 'node:path';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { AppClient, AppRequestError, PipelineView } from '../app-client';
import { datasetNameOf } from '../io/contract-from-file';
import { startInProcessHost } from '../in-process-host';
import { parseArgs, requireOption } from '../args';
import { CliCommand, CliIo, UsageError } from '../command';
import { readContractFile, readInputFile } from '../input-file';
import { createProgress } from '../progress';
import { inferOrReject } from './inferred-contract';
import { dueAuditEvents, waitForAuditEvents } from './run-audit';

/** How long a finished run waits for its audit records to be chained before saying which are missing. */
const AUDIT_WAIT_MS = 30_000;

const usage = `Usage: dps run --data FILE [--test FILE] [--contract FILE | [--columns a,b,...] --label COL]
               [--dataset NAME] [--state DIR] [--json] [--verbose]

Runs the whole pipeline (contract -> validate -> profile -> train -> evaluate -> register) on FILE
through an in-process local host with embedded Azurite: fresh temporary state unless --state DIR, which
keeps the storage (models, cards, audit chain) for a later 'DPS_STATE_DIR=DIR npm start' or another run.
Without --contract the contract is inferred from FILE (--columns names the columns of a file without
header, --label the column to predict). --test FILE evaluates on that file instead of a holdout.
Progress goes to stderr; --json prints one object on stdout.
Exit codes: 0 success, 2 the data or the training was rejected (the reason on stderr), 1 usage or I/O error.
`;

const METRICS: Record<string, string[]> = {
  binary: ['auc', 'logloss', 'accuracy', 'f1', 'precision', 'recall'],
  multiclass: ['accuracy', 'macro_f1', 'logloss'],
  regression: ['rmse', 'mae', 'r2'],
};

async function contractFor(args: ReturnType<typeof parseArgs>, data: string, io: CliIo): Promise<DataContract | undefined> {
  const contractFile = args.options.get('contract');
  const dataset = args.options.get('dataset');
  if (contractFile !== undefined) {
    if (args.options.has('columns') || args.options.has('label')) throw new UsageError('give either --contract, or --columns/--label to infer one, not both');
    const contract = await readContractFile(contractFile, io);
    return dataset ? { ...contract, dataset } : contract;
  }
  const columns = args.options.get('columns')?.split(',').map((c) => c.trim());
  const inferred = await inferOrReject('run', data, { dataset: dataset ?? datasetNameOf(data), columns, label: args.options.get('label') }, io);
  if (inferred?.labelProblem !== undefined) {
    // Say so before the data goes through the pipeline only to be refused at training.
    io.stderr(`dps run: rejected: ${inferred.labelProblem} (${data})\n`);
    return undefined;
  }
  return inferred?.contract;
}

const pick = (metrics: Record<string, number>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in metrics).map((k) => [k, metrics[k]]));

function summaryOf(view: PipelineView, instanceId: string) {
  const timings: Record<string, number> = {};
  for (const stage of view.stages ?? []) if (stage.durationMs !== undefined) timings[stage.name] = stage.durationMs;
  timings.total = Object.values(timings).reduce((a, b) => a + b, 0);
  const model = view.model;
  const keys = METRICS[model?.task ?? 'binary'];
  return {
    status: view.status ?? (view.runtimeStatus === 'Failed' ? 'failed' : view.runtimeStatus),
    instanceId,
    rows: view.rows ?? { read: 0, accepted: 0, quarantined: 0, duplicates: 0 },
    model: model
      ? {
          name: model.name, version: model.version, task: model.task, algorithm: model.algorithm, alias: model.alias,
          metrics: pick(model.metrics, keys), baseline: pick(model.baseline ?? {}, keys), evaluation: model.evaluation ?? null,
          selection: { metric: model.selection.metric, winner: model.selection.winner, runnerUp: model.selection.runnerUp ?? null, margin: model.selection.margin, summary: model.selection.summary },
          threshold: model.decisions.threshold ?? null, calibration: model.decisions.calibration, classWeights: model.decisions.classWeights,
          refit: model.decisions.refit ?? null, accounting: model.accounting,
        }
      : null,
    errors: view.errors ?? [],
    warnings: view.warnings ?? [],
    timings,
  };
}

/** Where the card and the console of this run can be seen: only a kept state directory outlives the run. */
function whereToLook(model: string, version: number, state: string | undefined): string {
  const card = `/api/models/${encodeURIComponent(model)}/versions/${version}/card`;
  if (state === undefined) return `the run's state was temporary; run again with --state DIR to keep it and look at the model card (${card}) with 'DPS_STATE_DIR=DIR npm start'\n`;
  return `model card and console: DPS_STATE_DIR=${state} npm start, then open ${card} and /api/console (with ?code=KEY)\n`;
}

/** `dps run`: the pipeline end to end on a local file, through the real Functions app. */
export const runCommand: CliCommand = {
  path: ['run'],
  summary: 'run the pipeline end to end on a file (in-process host, embedded Azurite)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['data', 'test', 'contract', 'columns', 'label', 'dataset', 'state'], ['json']);
    const dataFile = requireOption(args, 'data');
    const data = await readInputFile(dataFile, io, 'data file');
    const testFile = args.options.get('test');
    const test = testFile !== undefined ? await readInputFile(testFile, io, 'test file') : undefined;
    const contract = await contractFor(args, dataFile, io);
    if (!contract) return 2;
    const verbose = args.flags.has('verbose');
    const host = await startInProcessHost({
      stateDir: args.options.has('state') ? path.resolve(io.cwd, args.options.get('state') as string) : undefined,
      log: (line) => io.stderr(line), verbose,
    });
    try {
      const client = new AppClient(host.baseUrl, host.key);
      await client.putContract(contract.dataset, contract);
      // Audit events carry the orchestration's time, on this machine's clock: none of the run's is older.
      const since = new Date(Date.now() - 1000).toISOString();
      const testSha = test ? (await client.uploadTestSet(contract.dataset, test)).sha256 : undefined;
      const submitted = await client.ingest(contract.dataset, data, { test: testSha });
      const progress = createProgress(io);
      const view = await client.waitForPipeline(submitted.instanceId, (v) => progress.update(v));
      progress.done();
      // The host drains its audit hub when it stops; waiting here makes the run's records a promise of
      // `dps run` itself, and says which ones are missing instead of exiting as if all were kept.
      const unchained = await waitForAuditEvents(client, since, dueAuditEvents(submitted.instanceId, view), AUDIT_WAIT_MS);
      if (unchained.length) {
        io.stderr(`dps run: the run's audit records were not all in the audit chain after ${AUDIT_WAIT_MS / 1000} s (missing: ${unchained.join(', ')}); see the [auditWriter] log with --verbose\n`);
      }
      const summary = summaryOf(view, submitted.instanceId);
      if (args.flags.has('json')) io.stdout(JSON.stringify(summary) + '\n');
      else {
        const { read, accepted, quarantined, duplicates } = summary.rows;
        io.stdout(`${summary.status}: ${read} rows read = ${accepted} accepted + ${quarantined} quarantined + ${duplicates} duplicates\n`);
        if (summary.model) {
          const m = summary.model;
          const metrics = Object.entries(m.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
          const on = m.evaluation ? ` on the ${m.evaluation.kind === 'test-set' ? 'test set' : 'holdout'} (${m.evaluation.rows} rows)` : '';
          io.stdout(`model ${m.name} v${m.version} (${m.task}, ${m.algorithm}, ${m.alias}): ${metrics}${on}\n`);
          io.stdout(`selected: ${m.selection.summary}\n`);
          const baseline = Object.entries(m.baseline).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
          if (baseline) io.stdout(`linear baseline on the same rows: ${baseline}\n`);
          if (m.threshold) io.stdout(`decision threshold ${m.threshold.value.toFixed(4)} (${m.threshold.rule}); calibration: ${m.calibration.method}\n`);
          const a = m.accounting;
          for (const warning of view.model?.warnings ?? []) io.stdout(`warning: ${warning}\n`);
          io.stdout(`evaluation rows: ${a.read} read = ${a.scored} scored + ${a.quarantined} quarantined + ${a.duplicates} duplicates + ${a.unlabelled} without a usable label\n`);
          for (const note of a.notes ?? []) io.stdout(`evaluation note: ${note}\n`);
          if (m.refit) io.stdout(`refit: ${m.refit.reason}\n`);
          io.stdout(whereToLook(summary.model.name, summary.model.version, args.options.get('state')));
        }
      }
      if (summary.status === 'accepted') return unchained.length ? 1 : 0;
      // An error nothing handled (logged by the host, which kept running) is the likelier cause: say so on the same line.
      const unhandled = host.unhandledRejections.length ? ` (the host logged ${host.unhandledRejections.length} unhandled error(s); the first: ${host.unhandledRejections[0].replace(/^error: /, '')})` : '';
      io.stderr(`dps run: ${summary.status}: ${summary.errors[0] ?? 'see the pipeline status'}${unhandled}\n`);
      return summary.status === 'rejected' ? 2 : 1;
    } catch (error) {
      if (error instanceof AppRequestError && error.status === 400) {
        io.stderr(`dps run: rejected: ${error.message}\n`);
        return 2;
      }
      throw error;
    } finally {
      await host.stop();
    }
  },
};
