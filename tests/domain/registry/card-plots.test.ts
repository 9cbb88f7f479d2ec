import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/Dps.Domain/ml/binary-metrics';
import { barChart, confusionMatrix, lineChart } from '../../../src/Dps.Domain/registry/card-plots';
import { classCurves } from '../../../src/Dps.Domain/registry/evaluation-report';
import { cellText } from '../../../src/Dps.Domain/registry/model-card';

const count = (svg: string, pattern: RegExp) => (svg.match(pattern) ?? []).length;

describe('card plots (inline SVG)', () => {
  it('draws one polyline per series through its finite points, with axes, reference line and a legend only when needed', () => {
    const one = lineChart({ title: 'ROC', x: 'fpr', y: 'tpr', xRange: [0, 1], yRange: [0, 1], diagonal: true }, [{ name: 'a', points: [{ x: 0, y: 0 }, { x: 0.5, y: NaN }, { x: 1, y: 1 }] }]);
    expect(count(one, /<polyline/g)).toBe(1);
    expect(one).toMatch(/points="52\.0,236\.0 348\.0,28\.0"/);
    expect(one).toContain('stroke-dasharray');
    expect(one).toContain('>fpr</text>');
    expect(one).not.toContain('<rect width="9"');
    const two = lineChart({ title: 'PR', x: 'recall', y: 'precision' }, [{ name: 'a', points: [{ x: 0, y: 1 }] }, { name: 'b', points: [{ x: 1, y: 0 }] }]);
    expect(count(two, /<rect width="9"/g)).toBe(2);
  });

  it('draws markers instead of a line for scatter plots, and a zero line only when zero is in range', () => {
    const svg = lineChart({ title: 'Residuals', x: 'p', y: 'r', zeroLine: true }, [{ name: 'rows', points: [{ x: 1, y: -1 }, { x: 2, y: 2 }, { x: 3, y: 0.5 }] }], { markers: true });
    expect(count(svg, /<circle/g)).toBe(3);
    expect(count(svg, /<line /g)).toBe(1);
    const above = lineChart({ title: 'R', x: 'p', y: 'r', zeroLine: true }, [{ name: 'rows', points: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }], { markers: true });
    expect(count(above, /<line /g)).toBe(0);
  });

  it('escapes every text it draws', () => {
    const svg = barChart('<b>', [{ label: '<script>alert(1)</script>', value: 1 }], 'a & b');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('a &amp; b');
    expect(lineChart({ title: '"x"', x: '<', y: '>' }, [])).toContain('&quot;x&quot;');
  });

  it('scales bars to the largest value and labels each with its value', () => {
    const svg = barChart('Importance', [{ label: 'age', value: 2 }, { label: 'plan', value: 1 }, { label: 'noise', value: -0.5 }], 'units');
    const widths = [...svg.matchAll(/<rect x="130" y="[\d.]+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([170, 85, 42.5]);
    expect(svg).toContain('fill="#d62728"');
    expect(svg).toContain('>age</text>');
    expect(svg).toContain('>-0.50</text>');
  });

  it('draws a k x k confusion matrix with every count', () => {
    const svg = confusionMatrix('Confusion', ['a', 'b', 'c'], [[5, 1, 0], [2, 7, 0], [0, 0, 9]]);
    expect(count(svg, /<rect /g)).toBe(9);
    for (const n of [5, 1, 2, 7, 9]) expect(svg).toContain(`>${n}</text>`);
  });
});

describe('curves and cells', () => {
  it('runs ROC from (0,0) to (1,1) and PR to full recall, with the rank AUC', () => {
    const labels = Float64Array.from([0, 0, 1, 1, 0, 1, 1, 0, 1, 0]);
    const scores = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.6, 0.6, 0.7, 0.3]);
    const curves = classCurves('yes', labels, scores, 100);
    expect(curves.roc[0]).toEqual({ x: 0, y: 0 });
    expect(curves.roc[curves.roc.length - 1]).toEqual({ x: 1, y: 1 });
    expect(curves.pr[curves.pr.length - 1]).toEqual({ x: 1, y: 0.5 });
    expect(curves.auc).toBe(auc(labels, scores));
    // The tied 0.6 pair is one threshold: one point, not two.
    expect(curves.roc.length).toBe(10);
  });

  it('never shows null, NaN or undefined in a table cell', () => {
    expect([null, undefined, NaN, Infinity].map(cellText)).toEqual(['—', '—', '—', '—']);
    expect(cellText(0.123456)).toBe('0.1235');
    expect(cellText(12)).toBe('12');
  });
});
