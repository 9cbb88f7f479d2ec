import { Result, err, ok } from '../result';
import { FeatureSchema } from './feature-schema';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, GbdtModel, NODE_FEATURE, NODE_FLAGS, NODE_LEFT, NODE_STRIDE } from './gbdt-model';
import { FeatureBinning } from './histogram-binner';

/** Format tag of serialised boosted-tree models (version 2: several outputs, leaf covers). */
export const GBDT_MODEL_FORMAT = 'dps-gbdt/2';
/** The first format, binary or regression with one init score and no covers; still loaded. */
const GBDT_MODEL_FORMAT_V1 = 'dps-gbdt/1';

/** A boosted-tree model as plain JSON data: every typed array becomes an array of numbers. */
export interface GbdtModelJson {
  format: typeof GBDT_MODEL_FORMAT;
  objective: GbdtModel['objective'];
  initScores: number[];
  leafCover: number[];
  schema: FeatureSchema[];
  binning: FeatureBinning[];
  treeRoots: number[];
  nodes: number[];
  nodeThreshold: number[];
  nodeGain: number[];
  catStart: number[];
  catBits: number[];
  leafValue: number[];
}

/** The model as plain JSON data; every float survives JSON.stringify/parse bit for bit. */
export function gbdtModelToJson(model: GbdtModel): GbdtModelJson {
  return {
    format: GBDT_MODEL_FORMAT,
    objective: model.objective,
    initScores: Array.from(model.initScores),
    leafCover: Array.from(model.leafCover),
    schema: structuredClone(model.schema),
    binning: structuredClone(model.binning),
    treeRoots: Array.from(model.treeRoots),
    nodes: Array.from(model.nodes),
    nodeThreshold: Array.from(model.nodeThreshold),
    nodeGain: Array.from(model.nodeGain),
    catStart: Array.from(model.catStart),
    catBits: Array.from(model.catBits),
    leafValue: Array.from(model.leafValue),
  };
}

/** Rebuilds a model from parsed JSON (this format or dps-gbdt/1), checking shape and that every index points inside the model. */
export function gbdtModelFromJson(json: unknown): Result<GbdtModel> {
  const raw = json as (Omit<Partial<GbdtModelJson>, 'format'> & { format?: string; initScore?: unknown }) | null;
  if (typeof raw !== 'object' || raw === null || (raw.format !== GBDT_MODEL_FORMAT && raw.format !== GBDT_MODEL_FORMAT_V1)) {
    return err(`not a ${GBDT_MODEL_FORMAT} (or ${GBDT_MODEL_FORMAT_V1}) model`);
  }
  const data: Partial<GbdtModelJson> =
    raw.format === GBDT_MODEL_FORMAT_V1
      ? { ...raw, format: GBDT_MODEL_FORMAT, initScores: typeof raw.initScore === 'number' ? [raw.initScore] : undefined, leafCover: [] }
      : (raw as Partial<GbdtModelJson>);
  if (data.objective !== 'binary' && data.objective !== 'regression' && data.objective !== 'multiclass') return err('unknown objective');
  const outputs = data.initScores?.length ?? 0;
  if (!Array.isArray(data.initScores) || !data.initScores.every((v) => typeof v === 'number')) return err('initScores must be an array of numbers');
  if ((data.objective === 'multiclass') !== outputs > 1 || outputs < 1) return err(`a ${data.objective} model cannot have ${outputs} outputs`);
  const schema = checkSchema(data.schema);
  if (!schema.ok) return schema;
  const binning = checkBinning(data.binning, schema.value);
  if (!binning.ok) return binning;
  const arrays = ['treeRoots', 'nodes', 'nodeThreshold', 'nodeGain', 'catStart', 'catBits', 'leafValue', 'leafCover'] as const;
  for (const key of arrays) {
    const values = data[key];
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) return err(`${key} must be an array of numbers`);
  }
  const d = data as GbdtModelJson;
  const model: GbdtModel = {
    objective: d.objective,
    numOutputs: outputs,
    initScores: Float64Array.from(d.initScores),
    schema: schema.value,
    binning: binning.value,
    treeRoots: Int32Array.from(d.treeRoots),
    nodes: Int32Array.from(d.nodes),
    nodeThreshold: Float64Array.from(d.nodeThreshold),
    nodeGain: Float64Array.from(d.nodeGain),
    catStart: Int32Array.from(d.catStart),
    catBits: Uint32Array.from(d.catBits),
    leafValue: Float64Array.from(d.leafValue),
    leafCover: Float64Array.from(d.leafCover),
  };
  const structure = checkStructure(model);
  return structure === null ? ok(model) : err(structure);
}

function checkSchema(value: unknown): Result<FeatureSchema[]> {
  if (!Array.isArray(value)) return err('schema must be an array');
  for (const feature of value as FeatureSchema[]) {
    const fine =
      typeof feature?.name === 'string' &&
      (feature.kind === 'numeric' ||
        (feature.kind === 'categorical' && Array.isArray(feature.categories) && feature.categories.every((c) => typeof c === 'string')));
    if (!fine) return err('schema entries need a name and a kind (categoricals a list of categories)');
  }
  return ok(structuredClone(value as FeatureSchema[]));
}

function checkBinning(value: unknown, schema: FeatureSchema[]): Result<FeatureBinning[]> {
  if (!Array.isArray(value) || value.length !== schema.length) return err('binning must have one entry per schema column');
  const fine = (value as FeatureBinning[]).every((binning, f) => {
    const numbers = binning?.kind === 'numeric' ? binning.upperBounds : binning?.kind === 'categorical' ? binning.binCategories : null;
    return binning?.kind === schema[f].kind && Array.isArray(numbers) && numbers.every((v) => typeof v === 'number');
  });
  return fine ? ok(structuredClone(value as FeatureBinning[])) : err('binning entries must match the schema kinds');
}

/** A reason the arrays do not form valid trees, or null. */
function checkStructure(model: GbdtModel): string | null {
  const nodes = model.nodeThreshold.length;
  const leaves = model.leafValue.length;
  if (model.nodeGain.length !== nodes || model.nodes.length !== NODE_STRIDE * nodes || model.catStart.length !== nodes + 1) {
    return 'node arrays differ in length';
  }
  if (model.leafCover.length !== 0 && model.leafCover.length !== leaves) return 'leafCover must have one entry per leaf';
  if (model.treeRoots.length % model.numOutputs !== 0) return `${model.treeRoots.length} trees do not fill whole rounds of ${model.numOutputs}`;
  const validChild = (child: number): boolean => (child >= 0 ? child < nodes : ~child < leaves);
  for (const root of model.treeRoots) if (!validChild(root)) return `tree root ${root} is out of range`;
  for (let n = 0; n < nodes; n++) {
    const slot = n * NODE_STRIDE;
    const feature = model.schema[model.nodes[slot + NODE_FEATURE]];
    if (feature === undefined) return `node ${n} uses an unknown feature`;
    const flags = model.nodes[slot + NODE_FLAGS];
    if (flags < 0 || flags > (FLAG_CATEGORICAL | FLAG_DEFAULT_LEFT)) return `node ${n} has unknown flags ${flags}`;
    if (((flags & FLAG_CATEGORICAL) !== 0) !== (feature.kind === 'categorical')) {
      return `node ${n} split kind does not match feature "${feature.name}"`;
    }
    // Children always come after their parent, so walks cannot loop.
    const children = [model.nodes[slot + NODE_LEFT], model.nodes[slot + NODE_LEFT + 1]];
    if (!children.every((child) => validChild(child) && (child < 0 || child > n))) return `node ${n} has an invalid child`;
    if (model.catStart[n + 1] < model.catStart[n] || model.catStart[n + 1] > model.catBits.length) {
      return `node ${n} has an invalid category range`;
    }
  }
  return model.catStart[0] === 0 ? null : 'catStart must begin at 0';
}
