import { GbdtModel, NODE_FEATURE, NODE_STRIDE } from './gbdt-model';

/** How much a model relies on one feature; larger is more. */
export interface FeatureImportance {
  feature: string;
  importance: number;
}

/** Gain importance: the loss reduction summed over a feature's splits, with how many splits use it. */
export interface GainImportance extends FeatureImportance {
  splits: number;
}

/** Sorts importances, largest first; equal ones keep their column order. */
export function rankImportances<T extends FeatureImportance>(items: T[]): T[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => b.item.importance - a.item.importance || a.i - b.i).map(({ item }) => item);
}

/** Total split gain per feature over all trees, ranked. */
export function gainImportance(model: GbdtModel): GainImportance[] {
  const items = model.schema.map((feature) => ({ feature: feature.name, importance: 0, splits: 0 }));
  model.nodeGain.forEach((gain, node) => {
    const item = items[model.nodes[node * NODE_STRIDE + NODE_FEATURE]];
    item.importance += gain;
    item.splits += 1;
  });
  return rankImportances(items);
}
