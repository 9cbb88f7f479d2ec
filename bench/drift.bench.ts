/**
 * Drift benchmark: 1M current rows x 20 columns (16 numeric, 4 categorical; 5 numeric and 1 categorical
 * drifted) against a 1M-row reference. DPS: window sketch update rate and time to verdict (update plus
 * evaluation) on one thread. Peer: scipy's exact statistics on the same columns in the same run (Debian's
 * /usr/bin/python3): Evidently's defaults for references this large (Wasserstein normalised by the
 * reference std, Jensen-Shannon on category shares) plus ks_2samp, which DPS also reports. Skipped with a
 * message when python3 or scipy is missing. Accuracy: DPS's sketch values against scipy's exact ones.
 * Run: npm run bench drift   (DPS_BENCH_ROWS changes the row count)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { normal } from '../src/Dps.Domain/data/random-draws';
import { ReferenceColumn, buildDriftReference } from '../src/Dps.Domain/drift/drift-reference';
import { DEFAULT_DRIFT_THRESHOLDS } from '../src/Dps.Domain/drift/drift-thresholds';
import { evaluateWindow } from '../src/Dps.Domain/drift/window-drift';
import { addRowCount, createSketchWriter, createWindowSketch } from '../src/Dps.Domain/drift/window-sketch';
import { createRandom } from '../src/Dps.Domain/ml/seeded-random';

const ROWS = Number(process.env.DPS_BENCH_ROWS ?? 1_000_000);
const NUMERIC = 16;
const CATEGORICAL = 4;
const PYTHON = process.env.DPS_BENCH_PYTHON ?? '/usr/bin/python3';
const CATEGORIES = Array.from({ length: 12 }, (_, i) => `c${i}`);

interface Generated {
  numeric: Float64Array[];
  codes: Int32Array[];
}

/** Columns of both sides: numeric i is normal, lognormal or integer-valued; the first 5 and the first categorical drift. */
function generate(seed: number, drifted: boolean): Generated {
  const r = createRandom(seed).next;
  const numeric = Array.from({ length: NUMERIC }, (_, c) => {
    const out = new Float64Array(ROWS);
    const shift = drifted && c < 5 ? 0.3 : 0;
    for (let i = 0; i < ROWS; i++) {
      const z = normal(r) + shift;
      out[i] = c % 3 === 0 ? 50 + 10 * z : c % 3 === 1 ? Math.exp(z / 2) : Math.round(40 + 12 * z);
    }
    return out;
  });
  const codes = Array.from({ length: CATEGORICAL }, (_, c) => {
    const out = new Int32Array(ROWS);
    const skew = drifted && c === 0 ? 0.6 : 1;
    for (let i = 0; i < ROWS; i++) out[i] = Math.min(CATEGORIES.length - 1, Math.floor(-Math.log(1 - r()) * 3 * skew));
    return out;
  });
  return { numeric, codes };
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const names = () => [...Array.from({ length: NUMERIC }, (_, i) => `n${i}`), ...Array.from({ length: CATEGORICAL }, (_, i) => `k${i}`)];

function columnsOf(g: Generated): ReferenceColumn[] {
  return [
    ...g.numeric.map((values, i) => ({ name: `n${i}`, kind: 'numeric' as const, values })),
    ...g.codes.map((codes, i) => ({ name: `k${i}`, kind: 'categorical' as const, values: Array.from(codes, (c) => CATEGORIES[c]) })),
  ];
}

interface PeerResult {
  seconds: { wassersteinJs: number; ks: number; load: number };
  features: Record<string, { wasserstein?: number; ks?: number; js?: number }>;
}

const PEER = `
import json, sys, time
import numpy as np
from scipy import stats
from scipy.spatial import distance
d, rows, nnum, ncat, ncodes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
t = time.perf_counter()
load = lambda side, name, dt: np.fromfile(f"{d}/{side}-{name}.bin", dtype=dt)
ref = {f"n{i}": load("ref", f"n{i}", np.float64) for i in range(nnum)} | {f"k{i}": load("ref", f"k{i}", np.int32) for i in range(ncat)}
cur = {f"n{i}": load("cur", f"n{i}", np.float64) for i in range(nnum)} | {f"k{i}": load("cur", f"k{i}", np.int32) for i in range(ncat)}
loaded = time.perf_counter() - t
out = {}
t = time.perf_counter()
for i in range(nnum):
    r, c = ref[f"n{i}"], cur[f"n{i}"]
    out[f"n{i}"] = {"wasserstein": float(stats.wasserstein_distance(r, c) / max(np.std(r), 0.001))}
for i in range(ncat):
    r = np.bincount(ref[f"k{i}"], minlength=ncodes) / rows
    c = np.bincount(cur[f"k{i}"], minlength=ncodes) / rows
    keep = (r > 0) | (c > 0)
    out[f"k{i}"] = {"js": float(distance.jensenshannon(r[keep], c[keep]))}
wjs = time.perf_counter() - t
t = time.perf_counter()
for i in range(nnum):
    out[f"n{i}"]["ks"] = float(stats.ks_2samp(ref[f"n{i}"], cur[f"n{i}"]).statistic)
ks = time.perf_counter() - t
print(json.dumps({"seconds": {"wassersteinJs": wjs, "ks": ks, "load": loaded}, "features": out}))
`;

function runPeer(dir: string, reference: Generated, current: Generated): PeerResult | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import scipy, numpy'], { stdio: 'ignore' });
  } catch {
    return `${PYTHON} has no scipy/numpy (Debian: apt-get install python3-scipy)`;
  }
  for (const [side, g] of [['ref', reference], ['cur', current]] as const) {
    g.numeric.forEach((v, i) => writeFileSync(path.join(dir, `${side}-n${i}.bin`), Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
    g.codes.forEach((v, i) => writeFileSync(path.join(dir, `${side}-k${i}.bin`), Buffer.from(v.buffer, v.byteOffset, v.byteLength)));
  }
  const text = execFileSync(PYTHON, ['-c', PEER, dir, String(ROWS), String(NUMERIC), String(CATEGORICAL), String(CATEGORIES.length)], { maxBuffer: 16 << 20 }).toString();
  return JSON.parse(text) as PeerResult;
}

/** Builds the reference, fills a window sketch with 1M rows, takes the verdict, and compares with scipy. */
export async function run(): Promise<void> {
  console.log(`drift bench: ${ROWS} current rows x ${NUMERIC + CATEGORICAL} columns (${NUMERIC} numeric, ${CATEGORICAL} categorical) vs a ${ROWS}-row reference`);
  const reference = generate(1, false);
  const current = generate(2, true);
  const refColumns = columnsOf(reference);
  const curColumns = columnsOf(current);

  let t = process.hrtime.bigint();
  const ref = buildDriftReference('bench/reference', refColumns);
  console.log(`  reference summary (once per model version): ${seconds(t).toFixed(2)} s`);

  // Column batches (how the monitor adds an Event Hubs batch after transposing it).
  t = process.hrtime.bigint();
  const writer = createSketchWriter(ref);
  const sketch = createWindowSketch(ref, '0', String(ROWS));
  ref.features.forEach((f, i) => writer.addColumn(sketch, f.name, curColumns[i].values as ArrayLike<number | string>));
  addRowCount(sketch, ROWS);
  const update = seconds(t);
  t = process.hrtime.bigint();
  const verdict = evaluateWindow(ref, sketch, DEFAULT_DRIFT_THRESHOLDS);
  const evaluate = seconds(t);
  const values = ROWS * (NUMERIC + CATEGORICAL);
  console.log(`  sketch update, column batches: ${update.toFixed(2)} s, ${(values / update / 1e6).toFixed(1)} M values/s (${(ROWS / update / 1e3).toFixed(0)} k rows/s)`);

  // Row objects (how single telemetry events arrive), on a tenth of the rows.
  const rowCount = Math.max(1, Math.floor(ROWS / 10));
  const keys = names();
  const rows = Array.from({ length: rowCount }, (_, i) => Object.fromEntries(keys.map((k, c) => [k, curColumns[c].values[i]])));
  const rowSketch = createWindowSketch(ref, '0', String(rowCount));
  t = process.hrtime.bigint();
  for (const row of rows) writer.addRow(rowSketch, row);
  const rowUpdate = seconds(t);
  console.log(`  sketch update, row objects: ${(rowCount / rowUpdate / 1e3).toFixed(0)} k rows/s`);
  console.log(`  evaluation of the merged window: ${(evaluate * 1000).toFixed(0)} ms; serialised sketch ${(JSON.stringify(sketch).length / 1024).toFixed(0)} KB`);
  const toVerdict = update + evaluate;
  console.log(`  time to verdict (update + evaluate): ${toVerdict.toFixed(2)} s (goal <= 2 s); dataset drift ${verdict.datasetDrift}, share ${verdict.share.toFixed(2)} (${verdict.drifted}/${verdict.evaluated})`);

  const dir = mkdtempSync(path.join(tmpdir(), 'dps-drift-bench-'));
  try {
    const peer = runPeer(dir, reference, current);
    if (typeof peer === 'string') {
      console.log(`  scipy peer skipped: ${peer}`);
      return;
    }
    const s = peer.seconds;
    console.log(`  scipy exact, Evidently's tests (wasserstein + jensenshannon): ${s.wassersteinJs.toFixed(2)} s; plus ks_2samp on the numeric columns: ${s.ks.toFixed(2)} s (loading not timed: ${s.load.toFixed(2)} s)`);
    console.log(`  speed-up: ${(s.wassersteinJs / toVerdict).toFixed(1)}x vs Evidently's tests, ${((s.wassersteinJs + s.ks) / toVerdict).toFixed(1)}x vs the same statistics DPS reports (goal >= 5x)`);
    let ksWorst = 0;
    let ksBound = 0;
    let wAbs = 0;
    let wBound = 0;
    let wRelNear = 0;
    let wRelAll = 0;
    let jsWorst = 0;
    for (const f of verdict.features) {
      const p = peer.features[f.name];
      if (f.accuracy && p.ks !== undefined && p.wasserstein !== undefined) {
        ksWorst = Math.max(ksWorst, Math.abs(f.accuracy.ksStatistic - p.ks));
        ksBound = Math.max(ksBound, f.accuracy.ksErrorBound);
        const diff = Math.abs(f.accuracy.wasserstein - p.wasserstein);
        wAbs = Math.max(wAbs, diff);
        wBound = Math.max(wBound, f.accuracy.wassersteinErrorBound);
        wRelAll = Math.max(wRelAll, diff / p.wasserstein);
        // Where the verdict could hinge on it: at least half the threshold.
        if (p.wasserstein >= DEFAULT_DRIFT_THRESHOLDS.wasserstein / 2) wRelNear = Math.max(wRelNear, diff / p.wasserstein);
      }
      if (p.js !== undefined && f.score !== null) jsWorst = Math.max(jsWorst, Math.abs(f.score - p.js));
    }
    const verdicts = verdict.features.filter((f) => {
      const p = peer.features[f.name];
      const exact = p.wasserstein ?? p.js!;
      return f.drift !== exact >= (p.wasserstein !== undefined ? DEFAULT_DRIFT_THRESHOLDS.wasserstein : DEFAULT_DRIFT_THRESHOLDS.jensenShannon);
    }).length;
    console.log(`  accuracy vs scipy: KS statistic worst |diff| ${ksWorst.toExponential(2)} (stated bound ${ksBound.toFixed(4)}, goal 0.01); Jensen-Shannon worst |diff| ${jsWorst.toExponential(2)}`);
    console.log(
      `  Wasserstein (normalised): worst |diff| ${wAbs.toExponential(2)} std (stated bound ${wBound.toExponential(2)}); relative: worst ${(wRelNear * 100).toExponential(1)} % where W >= threshold / 2, ` +
        `${(wRelAll * 100).toFixed(2)} % over all columns incl. undrifted ones (W ~ 0.002); goal 2 %. Verdicts differing from scipy's: ${verdicts}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  run().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
