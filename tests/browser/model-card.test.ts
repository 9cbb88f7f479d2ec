import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccepted, KEY, sampleCsv, startApp } from '../functions/fixtures/app-host';
import { artifactsDir, chromiumExecutable, launchBrowser, openRecordedPage } from './fixtures/console-browser';

const executable = chromiumExecutable();
if (!executable) console.warn('tests/browser skipped: no Chromium found (install Debian\'s chromium, or set DPS_CHROMIUM to its executable)');

let app: Awaited<ReturnType<typeof startApp>>;
let browser: Browser;

/** A regression target with a non-linear part, numbers exact in binary so the run is the same everywhere. */
function prices(rows: number): string {
  const lines = ['id,size,rooms,area,price'];
  for (let i = 0; i < rows; i++) {
    const size = 30 + ((i * 37) % 170);
    const rooms = 1 + ((i * 7) % 6);
    const area = ['north', 'south', 'centre'][i % 3];
    const price = 1000 * size + (area === 'centre' ? 40_000 : 0) + (rooms > 3 ? 15_000 * (rooms - 3) : 0) + ((i * 7919) % 20_000);
    lines.push(`${i},${size},${rooms},${area},${price}`);
  }
  return lines.join('\n') + '\n';
}

const widths = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

describe.skipIf(!executable)('the model card in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false' });
    ({ browser } = await launchBrowser(executable as string));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.host.stop();
  });

  it('is readable at phone and desktop width: plots drawn inside the page, tables scroll in place, no page errors', async () => {
    expectAccepted(await app.ingest('churn', sampleCsv(1500, 1), '?label=churned'));
    expectAccepted(await app.ingest('churn', sampleCsv(1500, 2, 0, 100_000)));
    expectAccepted(await app.ingest('prices', prices(1200), '?label=price'));
    const cards = [
      { file: 'churn-v2', route: 'models/churn/versions/2/card', plots: 6, text: ['ROC (AUC', 'Reliability before / after calibration', "Data profile against the champion's (v1)"] },
      { file: 'prices-v1', route: 'models/prices/versions/1/card', plots: 4, text: ['Predicted vs actual', 'Residuals (actual − predicted)'] },
    ];
    const dir = path.join(artifactsDir(), '..', 'model-card');
    for (const card of cards) {
      for (const screen of widths) {
        const context = await browser.newContext({ viewport: { width: screen.width, height: screen.height } });
        const { page, problems } = await openRecordedPage(context, () => false);
        await page.goto(`${app.host.baseUrl}/api/${card.route}?code=${KEY}`);
        for (const text of card.text) expect(await page.textContent('body')).toContain(text);
        const layout = await page.evaluate(() => ({
          pageWidth: document.documentElement.scrollWidth,
          // Names what makes the page wider than the screen, should anything.
          wide: [...document.querySelectorAll('body > *:not(.scroll)')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => `${e.tagName} ${(e.textContent ?? '').slice(0, 60)}`),
          plots: [...document.querySelectorAll('svg.plot')].map((svg) => svg.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, width: r.width, height: r.height })),
        }));
        // Nothing makes the page itself scroll sideways; wide tables scroll inside their own box.
        expect(layout.pageWidth, `${card.file} at ${screen.width}: ${layout.wide.join(' | ')}`).toBeLessThanOrEqual(screen.width);
        expect(layout.plots.length).toBeGreaterThanOrEqual(card.plots);
        for (const plot of layout.plots) {
          expect(plot.width).toBeGreaterThan(Math.min(250, screen.width * 0.6));
          expect(plot.height).toBeGreaterThan(100);
          expect(plot.right).toBeLessThanOrEqual(screen.width);
        }
        await page.screenshot({ path: path.join(dir, `${card.file}-${screen.name}-${screen.width}.png`), fullPage: true });
        expect(problems.errors).toEqual([]);
        await context.close();
      }
    }
  });
});
