import { existsSync } from 'node:fs';
import type { LocalHost } from '../../Dps.LocalHost/local-host';
import { StateDirInUseError } from '../../Dps.LocalHost/storage/state-lock';
import { parseArgs, requireOption } from '../args';
import { CliCommand, UsageError } from '../command';
import { startInProcessHost } from '../in-process-host';
import { readInputFile } from '../input-file';
import { STATE_OPTION_USAGE, stateDirOf } from './local-state';

const usage = `Usage: dps predict --model M --data FILE [--version N | --alias NAME] [--explain] [--state DIR | --url URL --key KEY] [--json]

Scores FILE (CSV, JSON Lines, or JSON {"rows":[...]}) with model M: the champion, or the version the
model's rollout routes each row to, unless --version or --alias pins one. Runs the app on the local
state (${STATE_OPTION_USAGE.replace(/^--state DIR\s+/, '')}), or calls a running host with --url and --key
(as printed by npm start). One line per row: version, alias, prediction, probability; --json prints the
API's answer. Exit codes: 0 scored, 2 the rows were refused (the reason on stderr), 1 usage or I/O error.
`;

interface PredictAnswer {
  model: string;
  requestId: string;
  predictions: Array<{ version: number; alias: string; prediction: unknown; probability?: number; entity?: string }>;
}

async function callPredict(baseUrl: string, key: string, route: string, body: Buffer): Promise<{ status: number; json: PredictAnswer & { error?: string } }> {
  const response = await fetch(`${baseUrl}/api/${route}`, { method: 'POST', body, headers: { 'x-functions-key': key } });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

/** Starts the app on the state directory for one call (when no running host holds it). */
async function withStateHost<T>(dir: string, work: (baseUrl: string, key: string) => Promise<T>): Promise<T> {
  if (!existsSync(dir)) throw new UsageError(`no local state in ${dir}: run npm start (or pass --state DIR)`);
  let host: LocalHost;
  try {
    host = await startInProcessHost({ stateDir: dir });
  } catch (error) {
    if (error instanceof StateDirInUseError) throw new UsageError(`${error.message}; while npm start runs, call it with --url and --key`);
    throw error;
  }
  try {
    return await work(host.baseUrl, host.key);
  } finally {
    await host.stop();
  }
}

/** `dps predict`: scores a file through the app's predict endpoint. */
export const predictCommand: CliCommand = {
  path: ['predict'],
  summary: 'score a file with a registered model (champion, rollout routing, or a pinned version)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['model', 'data', 'version', 'alias', 'state', 'url', 'key'], ['json', 'explain']);
    const model = requireOption(args, 'model');
    const body = await readInputFile(requireOption(args, 'data'), io, 'data file');
    const query = [['version', args.options.get('version')], ['alias', args.options.get('alias')], ['explain', args.flags.has('explain') ? 'true' : undefined]]
      .filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join('&');
    const route = `models/${encodeURIComponent(model)}/predict${query ? `?${query}` : ''}`;
    const url = args.options.get('url');
    if (url !== undefined && args.options.get('key') === undefined) throw new UsageError('--url needs --key (the function key npm start prints)');
    const { status, json } = url !== undefined
      ? await callPredict(url.replace(/\/$/, ''), args.options.get('key') as string, route, body)
      : await withStateHost(stateDirOf(args, io), (baseUrl, key) => callPredict(baseUrl, key, route, body));
    if (status >= 400) {
      const refused = status === 400 || status === 404;
      if (args.flags.has('json')) io.stdout(JSON.stringify({ status: refused ? 'rejected' : 'error', error: json.error ?? `predict answered ${status}` }) + '\n');
      io.stderr(`dps predict: ${refused ? 'rejected: ' : ''}${json.error ?? `predict answered ${status}`}\n`);
      return refused ? 2 : 1;
    }
    if (args.flags.has('json')) io.stdout(JSON.stringify(json) + '\n');
    else {
      io.stdout(`row\tversion\talias\tprediction\tprobability${json.predictions.some((p) => p.entity !== undefined) ? '\tentity' : ''}\n`);
      json.predictions.forEach((p, i) => io.stdout(`${i}\tv${p.version}\t${p.alias}\t${String(p.prediction)}\t${p.probability === undefined ? '' : p.probability.toFixed(4)}${p.entity === undefined ? '' : `\t${p.entity}`}\n`));
      io.stderr(`${json.predictions.length} rows scored by ${model} (request ${json.requestId})\n`);
    }
    return 0;
  },
};
