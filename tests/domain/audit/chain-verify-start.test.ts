import { describe, expect, it } from 'vitest';
import { appendToChain } from '../../../src/Dps.Domain/audit/chain-append';
import { ChainRecord, EMPTY_CHAIN_HEAD } from '../../../src/Dps.Domain/audit/chain-record';
import { verifyChain } from '../../../src/Dps.Domain/audit/chain-verify';

function chainOf(count: number): ChainRecord[] {
  const records: ChainRecord[] = [];
  let head = EMPTY_CHAIN_HEAD;
  for (let n = 1; n <= count; n++) {
    const record = appendToChain(head, { id: `evt-${n}`, who: 'dps', what: 'dataset.accepted', when: '2024-03-29T18:00:00Z', where: { function: 'validate' }, outcome: 'accepted', why: `reason ${n}`, subjects: ['sales'] });
    if (!record.ok) throw new Error(record.error);
    records.push(record.value);
    head = { seq: record.value.seq, hash: record.value.hash };
  }
  return records;
}

describe('verifyChain from a verified record', () => {
  const records = chainOf(6);
  const start = { seq: 3, hash: records[2].hash };

  it('verifies the records after it against the head, counting the chain from genesis', () => {
    expect(verifyChain(records.slice(3), { seq: 6, hash: records[5].hash }, start)).toEqual({ ok: true, length: 6, head: { seq: 6, hash: records[5].hash } });
    expect(verifyChain([], { seq: 3, hash: records[2].hash }, start)).toEqual({ ok: true, length: 3, head: start });
  });

  it('names the first bad record by its seq in the whole chain', () => {
    expect(verifyChain(records.slice(4), undefined, start)).toMatchObject({ ok: false, brokenAt: 4, reason: 'expected seq 4, found 5 (a record is missing or out of order)' });
    expect(verifyChain(records.slice(3), undefined, { seq: 3, hash: records[1].hash })).toMatchObject({ ok: false, brokenAt: 4, reason: 'prevHash does not match the hash of record 3' });
    expect(verifyChain(records.slice(3, 5), { seq: 6, hash: records[5].hash }, start)).toMatchObject({ ok: false, brokenAt: 6, reason: expect.stringContaining('(records removed)') });
  });
});
