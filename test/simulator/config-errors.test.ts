import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { levenshtein, suggest } from '../../simulator/config/issues.js';
import { loadScenario, loadScenarioWithWarnings } from '../../simulator/config/load.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

function scenarioFile(text: string, name = 'bad.yaml'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** Runs the CLI on bad input: exit 2, one clean message, no stack trace, nothing written. */
function expectBadInput(args: string[], ...mentions: RegExp[]): string {
  const out = tempDir();
  const res = runCli([...args, '--out', join(out, 'results')]);
  expect(res.code).toBe(2);
  for (const m of mentions) expect(res.stderr).toMatch(m);
  expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(res.stdout).toBe('');
  return res.stderr;
}

describe('bad scenario input', () => {
  it('network tables that do not fit together are named by key, with exit 2', () => {
    const custom = (body: string) => scenarioFile(`name: x\nnetwork:\n  preset: custom\n${body}`);
    const two = '  regions: [A, B]\n  uploadMbps: [10, 10]\n  downloadMbps: [10, unlimited]\n';
    expectBadInput(['sweep', custom(`${two}  shares: [0.5, 0.4]\n  latencyMs: [[1, 2], [2, 1]]\n`)], /network\.shares/, /sum to 1/);
    expectBadInput(['sweep', custom(`${two}  shares: [0.5, 0.5]\n  latencyMs: [[1, 2]]\n`)], /network\.latencyMs/, /square/);
    expectBadInput(['sweep', custom(`${two}  shares: [0.5, 0.5]\n`)], /network\.latencyMs/, /custom needs/);
    expectBadInput(['sweep', scenarioFile('name: x\nnetwork:\n  preset: global-2019\n  shares: [1]\n')], /network\.shares/, /one share per region/);
  });

  it('a BFT protocol with committees under 4 members is refused, saying what to raise', () => {
    const f = scenarioFile('name: x\nsweep:\n  shards: [1, 2, 8]\nsecurity:\n  validators: 24\nconsensus:\n  protocol: pbft\n');
    expectBadInput(['sweep', f], /consensus\.protocol/, /committees of 3/, /security\.validators/);
    // Ideal consensus has no committee to run.
    expect(() => loadScenario(scenarioFile('name: x\nsweep:\n  shards: [1, 2, 8]\nsecurity:\n  validators: 24\n'))).not.toThrow();
  });

  it('a missing key is named', () => {
    const f = scenarioFile('seed: 1\n');
    expectBadInput(['sweep', f], /name/, /bad\.yaml/);
  });

  it('a wrong type names the key and what was expected', () => {
    const f = scenarioFile('name: x\nshard:\n  threads: many\n');
    expectBadInput(['sweep', f], /shard\.threads/, /expected a number/);
  });

  it('an unknown key is rejected, not ignored', () => {
    const f = scenarioFile('name: x\nworkload:\n  rat: 5\n');
    expectBadInput(['sweep', f], /workload\.rat/, /unknown key/);
  });

  it('a negative rate names workload.rate', () => {
    const f = scenarioFile('name: x\nworkload:\n  rate: -100\n');
    expectBadInput(['sweep', f], /workload\.rate/);
  });

  it('a --set override is validated like the file', () => {
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'workload.rate=-1'], /workload\.rate/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'shard.thread=4'], /shard\.thread/, /unknown key/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'noequals'], /path=value/);
  });

  it('a missing file, a directory and broken YAML each get a clear message', () => {
    expectBadInput(['sweep', 'configs/does-not-exist.yaml'], /does-not-exist\.yaml/, /no such file/);
    expectBadInput(['sweep', 'configs'], /directory/);
    expectBadInput(['sweep', scenarioFile('name: [unclosed\n')], /bad\.yaml:\d+:\d+/, /not valid YAML/);
  });

  it('bad command-line values exit 2', () => {
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--shards', 'two'], /shard counts/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--shards', '0'], /--shards: 0 is too small: shard counts must be >= 1/);
    expectBadInput(['run', 'configs/quickstart.yaml'], /--shards/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--transport', 'carrier-pigeon'], /transport/);
  });

  it('validate reports problems with exit 2 and all of them at once', () => {
    const f = scenarioFile('name: Bad Name\nslots:\n  measure: 0\n');
    const res = runCli(['validate', f]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/2 problems/);
    expect(res.stderr).toMatch(/name:/);
    expect(res.stderr).toMatch(/slots\.measure/);
  });
});

describe('input friction: messages that say what to do', () => {
  it('a bad --shards value names the option, not the file', () => {
    const err = expectBadInput(
      ['sweep', 'configs/quickstart.yaml', '--shards', '0'],
      /^shardsim: error: --shards: 0 is too small: shard counts must be >= 1\n/,
    );
    expect(err).not.toMatch(/quickstart\.yaml/);
    expectBadInput(['run', 'configs/quickstart.yaml', '--shards', '2000'], /^shardsim: error: --shards: 2000 is too big: shard counts must be <= 1024/);
  });

  it('a bad --set value names the --set, not the file, and lists what is accepted', () => {
    const rate = expectBadInput(
      ['sweep', 'configs/quickstart.yaml', '--set', 'workload.rate=fast'],
      /--set workload\.rate=fast: expected a number or "saturate", got "fast"/,
    );
    expect(rate).not.toMatch(/quickstart\.yaml/);
    expectBadInput(
      ['sweep', 'configs/quickstart.yaml', '--set', 'workload.kind=tokn'],
      /expected one of "transfer", "token", .*"trace", got "tokn" \(did you mean token\?\)/,
    );
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'shard.threads=many'], /--set shard\.threads=many: expected a number, got "many"/);
  });

  it('a misspelt key gets a "did you mean", in the file and in --set', () => {
    expectBadInput(['sweep', scenarioFile('name: x\nshard:\n  threds: 4\n')], /bad\.yaml: shard\.threds \(did you mean shard\.threads\?\): unknown key/);
    expectBadInput(['sweep', scenarioFile('name: x\nworkloads: {}\n')], /workloads \(did you mean workload\?\)/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'shard.thread=4'], /--set shard\.thread=4: shard\.thread \(did you mean shard\.threads\?\)/);
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--set', 'shards.threads=4'], /--set shards\.threads=4: shards \(did you mean shard\?\)/);
    // The right key in another section.
    expect(() => loadScenario(scenarioFile('name: x\nworkload:\n  threads: 4\n'))).toThrow(/workload\.threads \(did you mean shard\.threads\?\): unknown key/);
    expect(() => loadScenario('configs/quickstart.yaml', ['workload.mempoolcapacity=5'])).toThrow(
      /--set workload\.mempoolcapacity=5: workload\.mempoolcapacity \(did you mean shard\.mempoolCapacity\?\)/,
    );
    // Nothing close: no guess.
    const far = expectBadInput(['sweep', scenarioFile('name: x\nzzzzzzzz: 1\n')], /zzzzzzzz: unknown key/);
    expect(far).not.toMatch(/did you mean/);
  });

  it('edit distance and suggestions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(suggest('partitionfile', ['partition', 'partitionFile'])).toBe('partitionFile');
    expect(suggest('xyz', ['count', 'initialBalance'])).toBeUndefined();
  });

  it('numbers with digit separators, as the reference prints them, are accepted in the file, --set and --axis', () => {
    const f = scenarioFile('name: x\naccounts:\n  count: 10_000\nshard:\n  mempoolCapacity: 1_000_000\n');
    const sc = loadScenario(f, ['workload.rate=200_000'], ['accounts.count=2_000,3_000']);
    expect(sc.accounts.count).toBe(10_000);
    expect(sc.shard.mempoolCapacity).toBe(1_000_000);
    expect(sc.workload.rate).toBe(200_000);
    expect(sc.sweep.axes['accounts.count']).toEqual([2000, 3000]);
    expect(runCli(['validate', f]).code).toBe(0);
  });

  it('a trace path in a scenario file is relative to that file, from any current directory', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'traces'));
    copyFileSync(join(ROOT, 'configs/traces/communities-etl.csv'), join(dir, 'traces', 't.csv'));
    const f = join(dir, 'scenario.yaml');
    writeFileSync(
      f,
      'name: rel\nslots: { warmup: 1, measure: 2, drain: 1 }\nworkload:\n  kind: trace\n  trace: { file: traces/t.csv, format: ethereum-etl }\n',
    );
    const res = runCli(['run', f, '--shards', '2', '--json', '--out', join(dir, 'out')]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(loadScenario(f).workload.trace?.file).toBe(join(dir, 'traces', 't.csv'));
    // A path given with --set is the user's, relative to the current directory.
    expect(loadScenario(f, ['workload.trace.file=x.csv']).workload.trace?.file).toBe('x.csv');
  });

  it('a custom trace layout needs its columns, and only a custom layout takes them', () => {
    const trace = (t: string) => scenarioFile(`name: x\nworkload:\n  kind: trace\n  trace: ${t}\n`);
    expectBadInput(
      ['sweep', trace('{ file: t.csv, format: custom }')],
      /workload\.trace\.columns: format `custom` needs its columns named: \{ block, from, to \}/,
    );
    expectBadInput(
      ['sweep', trace('{ file: t.csv, format: etherscan, columns: { block: b, from: f, to: t } }')],
      /workload\.trace\.columns: columns name a custom layout, but format is `etherscan`, whose columns are fixed/,
    );
    expectBadInput(['sweep', trace('{ file: t.csv, format: custom, columns: { block: b, from: f } }')], /workload\.trace\.columns\.to/);
  });

  it('validate checks that the files a scenario names exist and are readable regular files', () => {
    const missing = scenarioFile('name: x\nworkload:\n  kind: trace\n  trace: { file: nope.csv, format: ethereum-etl }\n');
    const res = runCli(['validate', missing]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/workload\.trace\.file .*nope\.csv: no such file/);
    const dir = scenarioFile('name: x\naccounts:\n  partitionFile: .\n');
    expect(runCli(['validate', dir]).stderr).toMatch(/accounts\.partitionFile .*: cannot read partition file: is a directory/);
    const dev = scenarioFile('name: x\naccounts:\n  partitionFile: /dev/zero\n');
    expect(runCli(['validate', dev]).stderr).toMatch(
      /accounts\.partitionFile \/dev\/zero: cannot read partition file: not a regular file \(a device or socket\)/,
    );
  });

  it('settings without effect are warned about, one line each; shipped configs have none', () => {
    const f = scenarioFile('name: x\nshard:\n  threads: 8\nworkload:\n  kind: token\n  zipfExponent: 2\n  amm: { pools: 3 }\n  rate: 1000\n  saturation: 2\n');
    const { warnings } = loadScenarioWithWarnings(f);
    expect(warnings).toEqual([
      'shard.threads has no effect with shard.executor: sequential (it runs on one thread)',
      'workload.zipfExponent has no effect with workload.kind: token (it applies to transfer workloads)',
      'workload.amm has no effect with workload.kind: token (set kind: amm, or give it a weight in a mix)',
      'workload.saturation has no effect with workload.rate: 1000 (it applies to rate: saturate)',
    ]);
    const res = runCli(['validate', f]);
    expect(res.code).toBe(0);
    expect(res.stderr.trim().split('\n')).toHaveLength(4);
    expect(res.stderr).toMatch(/^shardsim: warning: shard\.threads has no effect/);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\nworkload:\n  zipfExponent: 2\n')).warnings).toEqual([
      'workload.zipfExponent has no effect with workload.distribution: uniform (it is the skew of zipf)',
    ]);
    // A setting idle at the file's value but swept by an axis is not idle.
    expect(
      loadScenarioWithWarnings(scenarioFile('name: x\nshard: { threads: 8 }\nsweep: { axes: { shard.executor: [sequential, block-stm] } }\n')).warnings,
    ).toEqual([]);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\nshard: { executionCost: ideal }\n')).warnings).toEqual([
      'shard.executionCost has no effect with shard.executor: sequential (it is the baseline the parallel executors pay against)',
    ]);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\nrecovery: { restarts: 5 }\n')).warnings).toEqual([
      "recovery has no effect with transport: memory (crash recovery is the redis transport's)",
    ]);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\ntransport: redis\nrecovery: { restarts: 5 }\n')).warnings).toEqual([]);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\ncrossShard: { broker: { count: 4 } }\n')).warnings).toEqual([
      'crossShard.broker has no effect with crossShard.protocol: receipts (it applies to broker)',
    ]);
    expect(loadScenarioWithWarnings(scenarioFile('name: x\ncrossShard: { protocol: broker, broker: { count: 4 } }\n')).warnings).toEqual([]);
    for (const c of readdirSync(join(ROOT, 'configs')).filter((f) => f.endsWith('.yaml'))) {
      expect(loadScenarioWithWarnings(join(ROOT, 'configs', c)).warnings, c).toEqual([]);
    }
  });
});
