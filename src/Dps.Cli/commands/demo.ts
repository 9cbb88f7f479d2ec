import path from 'node:path';
import { startInProcessHost } from '../in-process-host';
import { parseArgs } from '../args';
import { CliCommand, UsageError } from '../command';
import { CallApi, LoopScenario, runClosedLoop } from './demo-loop';

const usage = `Usage: dps demo [--scenario promote|rollback] [--state DIR] [--json] [--verbose]

Runs the closed loop on an in-process local host with embedded Azurite, over the HTTP API only and
without a human step: a labelled churn sample lands and trains the champion; drifted traffic
('dps sample --drift 0.8' rows) is scored through predict; the drift monitor (Event Hubs telemetry)
reaches its verdict; retrain-{model} trains a challenger on the training window; the canary takes it
with simulated feedback (the sample's labels) until it is promoted, or, with --scenario rollback
(feedback that proves the challenger wrong), rolled back; then the audit chain is verified.
The demo uses small windows and a fast rollout plan (settings below); --state DIR keeps the storage for
'DPS_STATE_DIR=DIR npm start' (the console, the drift report at /api/models/churn/drift/report).
Exit codes: 0 the loop ended as the scenario expects, 2 it did not (the reason on stderr), 1 usage error.
`;

/** Settings that make the loop fit in a minute: 300-row drift windows, two trials, a two-step canary with a 1 s bake judged on 40 labels. */
export const DEMO_SETTINGS: Record<string, string> = {
  DPS_TRAINING_TRIALS: '2',
  DPS_DRIFT_WINDOW_BY: 'rows',
  DPS_DRIFT_WINDOW_ROWS: '300',
  DPS_DRIFT_HYSTERESIS_ENTER: '2',
  DPS_RETRAIN_MIN_NEW_ROWS: '0',
  DPS_RETRAIN_COOLDOWN_MINUTES: '0',
  DPS_ROLLOUT_AUTO: 'true',
  DPS_ROUTING_CACHE_SECONDS: '0',
  DPS_ROLLOUT_STEPS: '50,100',
  DPS_ROLLOUT_BAKE_SECONDS: '1',
  DPS_ROLLOUT_MIN_SAMPLES: '120',
  // The online metric is judged once 40 labels per version arrived: feedback follows each request at once.
  DPS_ROLLOUT_THRESHOLDS: '{"minLabels":40}',
  DPS_ROLLOUT_POLL_SECONDS: '1',
};

/** `dps demo`: the drift -> retrain -> canary loop end to end. */
export const demoCommand: CliCommand = {
  path: ['demo'],
  summary: 'the closed loop: champion, drifted traffic, drift verdict, retrain, canary, promotion (in-process host)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['scenario', 'state'], ['json']);
    const scenario = (args.options.get('scenario') ?? 'promote') as LoopScenario;
    if (scenario !== 'promote' && scenario !== 'rollback') throw new UsageError(`--scenario must be promote or rollback (got '${scenario}')`);
    const verbose = args.flags.has('verbose');
    const host = await startInProcessHost({
      stateDir: args.options.has('state') ? path.resolve(io.cwd, args.options.get('state') as string) : undefined,
      settings: DEMO_SETTINGS, log: (line) => io.stderr(line), verbose,
    });
    try {
      const api: CallApi = async (method, route, body, contentType) => {
        const response = await fetch(`${host.baseUrl}/api/${route}`, { method, body, headers: { 'x-functions-key': host.key, ...(contentType ? { 'content-type': contentType } : {}) } });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        return { status: response.status, body: parsed };
      };
      const json = args.flags.has('json');
      const result = await runClosedLoop(api, {
        model: 'churn', scenario, landRows: 1200, requestRows: 300, canaryRows: 60, drift: 0.8, timeoutMs: 90_000,
        onStep: json ? undefined : (s) => io.stdout(`${(s.atMs / 1000).toFixed(1).padStart(6)} s  ${s.step.padEnd(10)} ${s.detail}\n`),
      });
      if (json) io.stdout(JSON.stringify({ status: result.ok ? 'ok' : 'failed', ...result }) + '\n');
      if (result.ok) return 0;
      io.stderr(`dps demo: ${result.error}\n`);
      return 2;
    } finally {
      await host.stop();
    }
  },
};
