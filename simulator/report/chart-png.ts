/**
 * One PNG per chart of a report page (`shardsim report --png`): the page is
 * opened from its file in the system's headless Chromium (playwright-core),
 * every chart is waited for until plotly has drawn it, and each chart's
 * element is captured, named by its id (chart-throughput.png,
 * study-speedup-0.png). A fixed viewport and scale make every PNG the same
 * size each time. The page needs no network (plotly is inlined, or in the
 * file beside a light page) and gets none: any request that is not a local
 * file is refused.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { InternalError } from '../../crosslink/common/errors.js';
import { makeDir, writeFilesAtomic } from '../atomic-write.js';
import { BrowserError } from '../errors.js';

/** Wide enough for the page's two-column chart grid; PNG sizes follow from it. */
export const VIEWPORT = { width: 1280, height: 900 } as const;

/** Drawing a ~5 MB page's charts takes a second or two; this is for a loaded machine. */
const DRAW_TIMEOUT_MS = 120_000;

export interface ChartPng {
  readonly id: string;
  readonly path: string;
}

export interface ChartPngs {
  readonly charts: readonly ChartPng[];
  /** URLs the page asked for that were refused (anything but a local file): none, for a page shardsim wrote. */
  readonly refused: readonly string[];
}

/**
 * Runs in the page before its scripts: keeps the promise of each
 * Plotly.newPlot call (it resolves when plotly has finished that chart), by
 * wrapping newPlot as the bundle assigns the global.
 */
const TRACK_PLOTS = `(() => {
  const plots = [];
  window.__shardsimPlots = plots;
  let plotly;
  Object.defineProperty(window, 'Plotly', {
    configurable: true,
    get() { return plotly; },
    set(value) {
      if (value && typeof value.newPlot === 'function') {
        const newPlot = value.newPlot;
        value.newPlot = function (...args) {
          const p = Promise.resolve(newPlot.apply(this, args));
          plots.push(p);
          return p;
        };
      }
      plotly = value;
    },
  });
})();`;

/** True once every chart element holds plotly's drawing. */
const ALL_DRAWN = `[...document.querySelectorAll('div.chart[id]')].every((d) => d.querySelector('.main-svg') !== null)`;

/** Waits for every plot's promise, then two frames so the last paint is on screen; returns the chart ids. */
const SETTLE = `(async () => {
  await Promise.all(window.__shardsimPlots || []);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return [...document.querySelectorAll('div.chart[id]')].map((d) => d.id);
})()`;

/** Ids of the charts not drawn (for the error when drawing times out). */
const NOT_DRAWN = `[...document.querySelectorAll('div.chart[id]')].filter((d) => d.querySelector('.main-svg') === null).map((d) => d.id)`;

/** A chart id as a file name: the page's ids are already safe; anything else is replaced. */
const fileNameOf = (id: string): string => `${id.replace(/[^A-Za-z0-9._-]/g, '_')}.png`;

/** Writes `dir`/<chart id>.png for each chart of the page at `pagePath`, drawn in the browser at `executablePath`. */
export async function writeChartPngs(pagePath: string, dir: string, executablePath: string): Promise<ChartPngs> {
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true });
  } catch (err) {
    const first = String((err as Error).message ?? err).split('\n')[0]!;
    throw new BrowserError(
      `cannot start Chromium at ${executablePath}: ${first}; check the browser runs (${executablePath} --version), or set $CHROMIUM_PATH to another`,
      {
        cause: err,
      },
    );
  }
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, serviceWorkers: 'block' });
    const blocked: string[] = [];
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (/^(file|data|blob|about):/.test(url)) await route.continue();
      else {
        blocked.push(url);
        await route.abort('blockedbyclient');
      }
    });
    await context.addInitScript({ content: TRACK_PLOTS });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(pathToFileURL(pagePath).href, { waitUntil: 'load', timeout: DRAW_TIMEOUT_MS });
    try {
      await page.waitForFunction(ALL_DRAWN, undefined, { timeout: DRAW_TIMEOUT_MS, polling: 100 });
    } catch (err) {
      const missing = (await page.evaluate(NOT_DRAWN)) as string[];
      const why = [
        errors.length > 0 ? `page errors: ${errors.slice(0, 3).join('; ')}` : '',
        blocked.length > 0 ? `requests refused: ${blocked.slice(0, 3).join(', ')}` : '',
      ]
        .filter((s) => s !== '')
        .join('; ');
      throw new InternalError(`the report's charts ${missing.join(', ')} were not drawn within ${DRAW_TIMEOUT_MS / 1000} s${why === '' ? '' : ` (${why})`}`, {
        cause: err,
      });
    }
    const ids = (await page.evaluate(SETTLE)) as string[];
    const shots: Array<{ id: string; path: string; bytes: Buffer }> = [];
    for (const id of ids) {
      const bytes = await page.locator(`[id=${JSON.stringify(id)}]`).screenshot({ animations: 'disabled', timeout: DRAW_TIMEOUT_MS });
      shots.push({ id, path: join(dir, fileNameOf(id)), bytes });
    }
    makeDir(dir);
    writeFilesAtomic(shots.map((s) => ({ path: s.path, text: s.bytes })));
    return { charts: shots.map(({ id, path }) => ({ id, path })), refused: blocked };
  } finally {
    await browser.close();
  }
}
