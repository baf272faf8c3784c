/**
 * `shardsim report`: the page made again from a results.json is the same
 * bytes the sweep wrote (also for figures the JSON holds as null, and for
 * results whose keys come in another order than the schema's); a file that
 * is not a sweep's results.json is refused with exit 2 and the key at fault;
 * results.json is never written; --light puts plotly.min.js beside the page;
 * --png without a browser says what to install, and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeResults } from '../../simulator/output.js';
import { plotlyBundlePath, renderReport } from '../../simulator/report/page.js';
import { reportCommand } from '../../simulator/report-command.js';
import type { SweepResults } from '../../simulator/results.js';
import { checkSweepResults } from '../../simulator/sweep-results-schema.js';
import { CLI, ROOT, runCli, tempDir } from '../helpers/cli.js';

const SHORT = ['--shards', '1,2', '--set', 'slots.warmup=1', '--set', 'slots.measure=3', '--set', 'slots.drain=3', '--axis', 'shard.threads=1,2', '-q'];

/** One sweep for the whole file: a study (threads x shards), so the page has study charts too. */
let sweepDir = '';
let resultsText = '';
beforeAll(() => {
  sweepDir = tempDir('shardsim-report-');
  const res = runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--out', sweepDir]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  resultsText = readFileSync(join(sweepDir, 'results.json'), 'utf8');
});

/** A copy of the sweep's folder (results.json, runs.csv, report.html) to work in. */
function copyOfSweep(): string {
  const dir = tempDir('shardsim-report-copy-');
  for (const f of readdirSync(sweepDir)) copyFileSync(join(sweepDir, f), join(dir, f));
  return dir;
}

function withResults(edit: (json: Record<string, unknown>) => void): string {
  const dir = tempDir('shardsim-report-bad-');
  const json = JSON.parse(resultsText) as Record<string, unknown>;
  edit(json);
  writeFileSync(join(dir, 'results.json'), JSON.stringify(json, null, 2));
  return join(dir, 'results.json');
}

describe('shardsim report, regenerating the page', () => {
  it('writes the same bytes as the sweep, beside results.json, and leaves results.json as it was', () => {
    const dir = copyOfSweep();
    const sweepPage = readFileSync(join(dir, 'report.html'));
    const before = statSync(join(dir, 'results.json')).mtimeMs;
    const res = runCli(['report', join(dir, 'results.json')]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(join(dir, 'report.html'));
    expect(readFileSync(join(dir, 'report.html')).equals(sweepPage)).toBe(true);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(resultsText);
    expect(statSync(join(dir, 'results.json')).mtimeMs).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['blocks.csv', 'report.html', 'results.json', 'runs.csv']);
  });

  it('writes the same bytes at --out, creating its folder', () => {
    const out = join(tempDir('shardsim-report-out-'), 'nested', 'page.html');
    const res = runCli(['report', join(sweepDir, 'results.json'), '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(sweepDir, 'report.html')))).toBe(true);
  });

  it('records the files in results.json, and embeds exactly what results.json holds', () => {
    const results = JSON.parse(resultsText) as SweepResults;
    expect(results.files).toEqual({ report: 'report.html', csv: 'runs.csv', blocks: 'blocks.csv' });
    const html = readFileSync(join(sweepDir, 'report.html'), 'utf8');
    const embedded = /<script type="application\/json" id="shardsim-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(embedded).toBe(JSON.stringify(results).replace(/<\//g, '<\\/'));
  });

  it('gives the same bytes for figures written as null (NaN) and for keys in an order other than the schema', async () => {
    const parsed = checkSweepResults(JSON.parse(resultsText));
    if (!parsed.ok) throw new Error(parsed.problems);
    const run = parsed.results.runs[0]!;
    // Figures that have no value (a run with no latency samples) are NaN in memory and null in the file.
    const nanRun = { ...run, latency: { ...run.latency, p50: Number.NaN, p99: Number.NaN }, crossShardRatio: Number.NaN };
    // The same run with its keys reversed: results.json follows the object, never the schema.
    const reversed = Object.fromEntries(Object.entries(nanRun).reverse()) as unknown as typeof run;
    const results: SweepResults = { ...parsed.results, runs: [reversed, ...parsed.results.runs.slice(1)] };
    const dir = tempDir('shardsim-report-nan-');
    const written = writeResults(dir, results);
    expect(written.json).toMatch(/"crossShardRatio": null/);
    const again = await reportCommand(written.results, { out: join(dir, 'again.html') });
    expect(readFileSync(again.report).equals(readFileSync(written.report))).toBe(true);
    // The page embeds results.json's own text (compact), in its key order, not the schema's.
    const embedded = /<script type="application\/json" id="shardsim-data">([\s\S]*?)<\/script>/.exec(readFileSync(again.report, 'utf8'))![1]!;
    expect(embedded).toBe(JSON.stringify(JSON.parse(written.json)).replace(/<\//g, '<\\/'));
    expect(embedded.indexOf('"wall"')).toBeLessThan(embedded.indexOf('"throughputTps"'));
  });

  it('refuses to write a sweep whose results would not read back (a bug), and writes nothing', () => {
    const parsed = checkSweepResults(JSON.parse(resultsText));
    if (!parsed.ok) throw new Error(parsed.problems);
    const bad: SweepResults = { ...parsed.results, runs: [{ ...parsed.results.runs[0]!, digest: 'not a digest' }] };
    const dir = tempDir('shardsim-report-unreadable-');
    expect(() => writeResults(dir, bad)).toThrow(/the sweep's results do not pass the results\.json schema \(runs\.0\.digest: /);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reads results written before results.json recorded its files', () => {
    const file = withResults((json) => {
      delete json.files;
    });
    const res = runCli(['report', file]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(file, '..', 'report.html'), 'utf8')).toContain('id="chart-throughput"');
  });

  it("reads results written before per-block figures and the beacon capacity's mean", () => {
    const file = withResults((json) => {
      for (const run of json.runs as Array<Record<string, unknown>>) {
        delete run.blocks;
        delete ((run.network as Record<string, unknown>).beacon as Record<string, unknown>).crosslinksPerSlotMean;
      }
    });
    const res = runCli(['report', file]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(file, '..', 'report.html'), 'utf8')).toContain('id="chart-throughput"');
  });

  it('refuses --out naming the results file itself', () => {
    const dir = copyOfSweep();
    const res = runCli(['report', join(dir, 'results.json'), '--out', join(dir, 'results.json')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is the results file itself/);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toBe(resultsText);
  });
});

describe('shardsim report, refusing what is not a results.json', () => {
  function expectRefused(file: string, message: RegExp): void {
    const res = runCli(['report', file]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).not.toMatch(/internal error|please report/);
    expect(existsSync(join(file, '..', 'report.html'))).toBe(false);
  }

  it('names the key with the wrong type and what to do', () => {
    const file = withResults((json) => {
      (json.runs as Array<Record<string, unknown>>)[1]!.throughputTps = 'fast';
    });
    expectRefused(file, /not a results\.json shardsim can read: runs\.1\.throughputTps: .*give the results\.json a sweep wrote/);
  });

  it('names a key that is missing or unknown', () => {
    expectRefused(
      withResults((json) => {
        delete json.digest;
      }),
      /digest: /,
    );
    expectRefused(
      withResults((json) => {
        json.extra = 1;
      }),
      /\(top level\): .*extra/,
    );
  });

  it('refuses a report file name that is a path', () => {
    expectRefused(
      withResults((json) => {
        json.files = { report: '../elsewhere.html', csv: 'runs.csv' };
      }),
      /files\.report: expected a file name beside results\.json/,
    );
  });

  it('refuses a config that is no scenario, and results without runs', () => {
    expectRefused(
      withResults((json) => {
        (json.config as Record<string, unknown>).seed = -1;
      }),
      /config\.seed/,
    );
    expectRefused(
      withResults((json) => {
        json.runs = [];
      }),
      /runs: a sweep has at least one run/,
    );
  });

  it('refuses a file that is not JSON, and one that does not exist', () => {
    const dir = tempDir('shardsim-report-bad-');
    writeFileSync(join(dir, 'results.json'), '{"scenario": "quickstart", ');
    expectRefused(join(dir, 'results.json'), /not a results\.json shardsim can read: not valid JSON/);
    const res = runCli(['report', join(dir, 'missing.json')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/missing\.json.*no such file or directory/);
  });
});

describe('--light', () => {
  const bundle = readFileSync(plotlyBundlePath());

  it('sweep --light writes plotly.min.js beside a page that loads it, and records it in results.json (which --json prints)', () => {
    const out = tempDir('shardsim-light-');
    const res = runCli(['sweep', 'configs/quickstart.yaml', ...SHORT, '--light', '--json', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(readdirSync(out).sort()).toEqual(['blocks.csv', 'plotly.min.js', 'report.html', 'results.json', 'runs.csv']);
    expect(readFileSync(join(out, 'plotly.min.js')).equals(bundle)).toBe(true);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<script src="plotly.min.js"></script>');
    expect(html.length).toBeLessThan(bundle.length / 10);
    expect((JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as SweepResults).files).toEqual({
      report: 'report.html',
      csv: 'runs.csv',
      blocks: 'blocks.csv',
      plotly: 'plotly.min.js',
    });
    // And regenerated light, it is the same page: asked for, or by default since results.json names plotly.min.js.
    const again = join(tempDir('shardsim-light-again-'), 'report.html');
    expect(runCli(['report', join(out, 'results.json'), '--light', '--out', again]).code).toBe(0);
    expect(readFileSync(again).equals(readFileSync(join(out, 'report.html')))).toBe(true);
    const byDefault = join(tempDir('shardsim-light-default-'), 'report.html');
    expect(runCli(['report', join(out, 'results.json'), '--out', byDefault]).code).toBe(0);
    expect(readFileSync(byDefault).equals(readFileSync(join(out, 'report.html')))).toBe(true);
    // --no-light inlines plotly all the same.
    const inlined = join(tempDir('shardsim-light-inlined-'), 'report.html');
    expect(runCli(['report', join(out, 'results.json'), '--no-light', '--out', inlined]).code).toBe(0);
    expect(readFileSync(inlined, 'utf8')).not.toMatch(/<script[^>]+src=/);
  });

  it('report --light writes plotly.min.js beside --out; the default page inlines plotly and names no script file', () => {
    const dir = join(tempDir('shardsim-light-out-'), 'pages');
    const res = runCli(['report', join(sweepDir, 'results.json'), '--light', '--out', join(dir, 'light.html')]);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['light.html', 'plotly.min.js']);
    expect(readFileSync(join(dir, 'plotly.min.js')).equals(bundle)).toBe(true);
    expect(readFileSync(join(dir, 'light.html'), 'utf8')).toContain('<script src="plotly.min.js"></script>');
    const full = readFileSync(join(sweepDir, 'report.html'), 'utf8');
    expect(full).not.toMatch(/<script[^>]+src=/);
    expect(full.length).toBeGreaterThan(bundle.length);
  });

  it('escapes the script source it is given', () => {
    const parsed = checkSweepResults(JSON.parse(resultsText));
    if (!parsed.ok) throw new Error(parsed.problems);
    expect(renderReport(parsed.results, { plotlySrc: 'a"b.js' })).toContain('<script src="a&quot;b.js"></script>');
  });
});

describe('--png without a browser', () => {
  it('exits 2 naming the setting and the package to install, and writes nothing', () => {
    const dir = join(tempDir('shardsim-nobrowser-'), 'res');
    mkdirSync(dir);
    copyFileSync(join(sweepDir, 'results.json'), join(dir, 'results.json'));
    const res = spawnSync(process.execPath, [CLI, 'report', join(dir, 'results.json'), '--png', join(dir, 'png')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
    });
    expect(res.status, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/\$CHROMIUM_PATH is "\/nonexistent\/chromium", which is not an executable file/);
    expect(res.stderr).toMatch(/apt-get install chromium/);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});
