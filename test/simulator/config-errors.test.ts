import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

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
  it('a missing key is named', () => {
    const f = scenarioFile('seed: 1\n');
    expectBadInput(['sweep', f], /name/, /bad\.yaml/);
  });

  it('a wrong type names the key and what was expected', () => {
    const f = scenarioFile('name: x\nshard:\n  threads: many\n');
    expectBadInput(['sweep', f], /shard\.threads/, /expected number/);
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
    expectBadInput(['sweep', 'configs/quickstart.yaml', '--shards', '0'], /sweep\.shards/);
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
