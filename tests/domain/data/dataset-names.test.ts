import { describe, expect, it } from 'vitest';
import { checkDatasetName, pipelineInstanceId } from '../../../src/Dps.Domain/data/dataset-names';

describe('dataset names', () => {
  it('accepts letters, digits, dot, underscore and dash, starting with a letter or digit', () => {
    for (const name of ['churn', 'Churn_2024.v1', '9lives', 'a-b', 'x'.repeat(63)]) expect(checkDatasetName(name)).toBeUndefined();
  });

  it('names the rule for a name that cannot be a blob path segment or table key', () => {
    for (const name of ['', '-bad', 'a/b', 'a b', 'x'.repeat(64), 'é']) expect(checkDatasetName(name)).toMatch(/must be 1-63 characters of letters, digits/);
    expect(checkDatasetName('a/b')).toContain("'a/b'");
  });

  it('derives the pipeline instance id from the dataset and the first 12 hex digits of the content hash', () => {
    const sha = 'abcdef0123456789'.repeat(4);
    expect(pipelineInstanceId('churn', sha)).toBe('pipeline-churn-abcdef012345');
    expect(pipelineInstanceId('churn', sha)).toBe(pipelineInstanceId('churn', sha));
    expect(pipelineInstanceId('other', sha)).not.toBe(pipelineInstanceId('churn', sha));
  });
});
