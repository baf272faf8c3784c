/**
 * `shardsim report --png`: each chart of the page drawn in the system's
 * Chromium and written as a PNG named by its id; and how the browser is
 * found. The rendering tests need a Chromium binary (Debian: apt-get install
 * chromium; CI installs it) and are skipped, saying so, only where none is.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BrowserError } from '../../../simulator/errors.js';
import { VIEWPORT, writeChartPngs } from '../../../simulator/report/chart-png.js';
import { findChromium } from '../../../simulator/report/chromium.js';
import { runCli, tempDir } from '../../helpers/cli.js';

const noBrowser = ((): string | undefined => {
  try {
    findChromium();
    return undefined;
  } catch (err) {
    return `no Chromium binary on this machine (${(err as Error).message.slice(0, 120)}...)`;
  }
})();

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk, which always comes first. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const chartIds = (html: string): string[] => [...html.matchAll(/<div id="([^"]+)" class="chart[^"]*"><\/div>/g)].map((m) => m[1]!).sort();

describe('findChromium', () => {
  it('takes $CHROMIUM_PATH as the only place to look when it is set', () => {
    const dir = tempDir('shardsim-chromium-');
    const exe = join(dir, 'my-chromium');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    expect(findChromium({ CHROMIUM_PATH: exe, PATH: '' }, [])).toBe(exe);
    expect(() => findChromium({ CHROMIUM_PATH: join(dir, 'nope'), PATH: dir }, ['/usr/bin'])).toThrow(
      /\$CHROMIUM_PATH is ".*nope", which is not an executable file.*apt-get install chromium/,
    );
    // Not executable is not a browser either.
    chmodSync(exe, 0o644);
    expect(() => findChromium({ PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: exe }, [])).toThrow(/\$PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH is/);
  });

  it('looks for the usual names on PATH, and names the package to install when there is none', () => {
    const dir = tempDir('shardsim-chromium-');
    const exe = join(dir, 'chromium-browser');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    expect(findChromium({ PATH: dir }, [])).toBe(exe);
    const empty = tempDir('shardsim-chromium-empty-');
    let thrown: unknown;
    try {
      findChromium({ PATH: empty }, []);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(BrowserError);
    expect((thrown as BrowserError).exitCode).toBe(2);
    expect((thrown as Error).message).toMatch(/none was found .*apt-get install chromium, the package `chromium`.*\$CHROMIUM_PATH/);
  });
});

describe.skipIf(noBrowser !== undefined)(`report --png in Chromium${noBrowser === undefined ? '' : ` (skipped: ${noBrowser})`}`, () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('shardsim-png-');
    const res = runCli([
      'sweep',
      'configs/quickstart.yaml',
      '--shards',
      '1,2',
      '--set',
      'slots.measure=3',
      '--set',
      'shard.executor=block-stm',
      '--axis',
      'shard.threads=1,2',
      '--out',
      join(dir, 'sweep'),
      '-q',
    ]);
    expect(res.code, res.stderr).toBe(0);
  });

  function expectChartPngs(page: string, pngDir: string): void {
    const ids = chartIds(readFileSync(page, 'utf8'));
    expect(ids).toContain('chart-throughput');
    expect(ids).toContain('study-speedup-0');
    expect(readdirSync(pngDir).sort()).toEqual(ids.map((id) => `${id}.png`).sort());
    for (const id of ids) {
      const { width, height } = pngSize(readFileSync(join(pngDir, `${id}.png`)));
      // Charts sit in a grid of one to three columns in the fixed viewport; their heights are set by the page's styles.
      expect(width, id).toBeGreaterThan(250);
      expect(width, id).toBeLessThanOrEqual(VIEWPORT.width);
      expect(height, id).toBeGreaterThanOrEqual(250);
      expect(height, id).toBeLessThanOrEqual(1000);
    }
  }

  it('writes one PNG per chart of the self-contained page, the same size every time', () => {
    const png = join(dir, 'png');
    const res = runCli(['report', join(dir, 'sweep', 'results.json'), '--png', png]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/png: +\d+ charts in .* \(\d+\.\d s\)/);
    expectChartPngs(join(dir, 'sweep', 'report.html'), png);
    const sizes = (d: string) => readdirSync(d).map((f) => pngSize(readFileSync(join(d, f))));
    const again = join(dir, 'png-again');
    expect(runCli(['report', join(dir, 'sweep', 'results.json'), '--png', again]).code).toBe(0);
    expect(sizes(again)).toEqual(sizes(png));
  });

  it('draws a light page from the plotly.min.js beside it', () => {
    const pages = join(dir, 'light');
    mkdirSync(pages);
    const png = join(dir, 'png-light');
    const res = runCli(['report', join(dir, 'sweep', 'results.json'), '--light', '--out', join(pages, 'report.html'), '--png', png]);
    expect(res.code, res.stderr).toBe(0);
    expectChartPngs(join(pages, 'report.html'), png);
  });
});

describe.skipIf(noBrowser !== undefined)(`writeChartPngs${noBrowser === undefined ? '' : ` (skipped: ${noBrowser})`}`, () => {
  it('refuses every request that is not a local file, and still draws', async () => {
    const dir = tempDir('shardsim-png-net-');
    const res = runCli(['sweep', 'configs/quickstart.yaml', '--shards', '1,2', '--set', 'slots.measure=3', '--out', dir, '--light', '-q']);
    expect(res.code, res.stderr).toBe(0);
    // A page that also asks for things from the network (a shardsim page never does).
    const page = readFileSync(join(dir, 'report.html'), 'utf8').replace(
      '<body>',
      '<body><img src="http://192.0.2.1/pixel.png"><script src="https://cdn.plot.ly/plotly-latest.min.js"></script>',
    );
    writeFileSync(join(dir, 'report.html'), page);
    const { charts, refused } = await writeChartPngs(join(dir, 'report.html'), join(dir, 'png'), findChromium());
    expect([...refused].sort()).toEqual(['http://192.0.2.1/pixel.png', 'https://cdn.plot.ly/plotly-latest.min.js']);
    expect(charts.map((c) => c.id)).toContain('chart-throughput');
    expect(readdirSync(join(dir, 'png'))).toHaveLength(charts.length);
  });
});
