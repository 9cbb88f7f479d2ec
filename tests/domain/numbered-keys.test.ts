import { describe, expect, it } from 'vitest';
import { nextNumber, numberedKey, numberedKeyRange, numberOfKey } from '../../src/Dps.Domain/numbered-keys';

describe('numbered keys', () => {
  it('pads numbers so keys sort by number, and reads them back', () => {
    expect(numberedKey('silver-v', 7)).toBe('silver-v000007');
    expect([numberedKey('v', 10), numberedKey('v', 9)].sort()).toEqual(['v000009', 'v000010']);
    expect(numberOfKey('contract-r', 'contract-r000012')).toBe(12);
  });

  it('ignores keys of other families or without a number', () => {
    expect(numberOfKey('contract-r', 'contract')).toBeUndefined();
    expect(numberOfKey('contract-r', 'silver-v000001')).toBeUndefined();
    expect(numberOfKey('v', 'vx')).toBeUndefined();
  });

  it('gives a range that holds every key of the family and none of its neighbours', () => {
    const { from, to } = numberedKeyRange('contract-r');
    const inRange = (key: string) => key >= from && key < to;
    expect(inRange(numberedKey('contract-r', 1))).toBe(true);
    expect(inRange(numberedKey('contract-r', 999_999))).toBe(true);
    expect(inRange('contract')).toBe(false);
    expect(inRange('contract-s000001')).toBe(false);
  });

  it('takes one past the highest number taken, 1 for an empty family, whatever the order', () => {
    expect(nextNumber([])).toBe(1);
    expect(nextNumber([3, 1, 2])).toBe(4);
    expect(nextNumber([5])).toBe(6);
  });
});
