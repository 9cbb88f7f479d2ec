import { describe, expect, it } from 'vitest';
import { inferContractFromChunks } from '../../../src/Dps.Domain/data/contract-from-chunks';
import { majorityType } from '../../../src/Dps.Domain/data/column-inference';

async function* chunksOf(text: string, size = 4096): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function calls(rows: number, row: (i: number) => string): string {
  return ['id,signup_date,support_calls,month', ...Array.from({ length: rows }, (_, k) => row(k + 1))].join('\n') + '\n';
}

const clean = (i: number) => `${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 9},${['jan', 'feb', 'mar'][i % 3]}`;

describe('contract inference over a whole file', () => {
  it('types a column by most of its values and reports the few that will be quarantined', async () => {
    const text = calls(500, (i) => (i === 57 ? `57,2024-01-05,x,jan` : i === 300 ? `300,2024-02-30,3,feb` : clean(i)));
    const result = await inferContractFromChunks(chunksOf(text), { dataset: 'calls' });
    if (!result.ok) throw new Error(result.error);
    const types = Object.fromEntries(result.value.contract.columns.map((c) => [c.name, c.type]));
    expect(types).toEqual({ id: 'integer', signup_date: 'date', support_calls: 'integer', month: 'category' });
    expect(result.value.contract.columns.find((c) => c.name === 'support_calls')).toMatchObject({ min: 0, max: 8 });
    expect(result.value.notes).toContain(`column 'support_calls' is integer in 499 of 500 sampled values; 1 value(s) are not and their rows will be quarantined (row 57: "x")`);
    expect(result.value.notes).toContain(`column 'signup_date' is date in 499 of 500 sampled values; 1 value(s) are not and their rows will be quarantined (row 300: "2024-02-30")`);
  });

  it('never takes a long text for a category value', async () => {
    const text = 'id,note\n' + Array.from({ length: 60 }, (_, i) => `${i + 1},${i === 0 ? 'y'.repeat(5_000) : `note ${i % 3}`}`).join('\n') + '\n';
    const result = await inferContractFromChunks(chunksOf(text), { dataset: 'notes' });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.contract.columns.find((c) => c.name === 'note')).toMatchObject({ type: 'string' });
    expect(result.value.contract.columns.find((c) => c.name === 'note')?.values).toBeUndefined();
  });

  it('needs enough values to call one an outlier, and never more than 1% of them', () => {
    expect(majorityType(['1', '2', 'x'])).toEqual({ type: 'string', outliers: [] });
    const hundred = Array.from({ length: 100 }, (_, i) => String(i));
    expect(majorityType([...hundred.slice(0, 99), 'x'])).toEqual({ type: 'integer', outliers: [99] });
    expect(majorityType([...hundred.slice(0, 98), 'x', 'y']).type).toBe('string');
  });

  it('samples rows from the whole file, so values that only appear late still shape the contract', async () => {
    // A file in time order: the month 'dec' only appears in its last rows.
    const text = calls(40_000, (i) => (i > 36_000 ? `${i},2024-12-01,1,dec` : clean(i)));
    const result = await inferContractFromChunks(chunksOf(text, 64 * 1024), { dataset: 'calls', sampleRows: 5_000 });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.notes[0]).toBe('inferred from 5000 row(s) sampled uniformly from all 40001 records read');
    expect(result.value.contract.columns.find((c) => c.name === 'month')?.values).toEqual(['dec', 'feb', 'jan', 'mar']);
    expect(result.value.contract.columns.find((c) => c.name === 'signup_date')?.max).toBe('2024-12-01');
  });
});
