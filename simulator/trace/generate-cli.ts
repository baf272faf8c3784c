#!/usr/bin/env node
/**
 * Writes a synthetic community-structured trace (see generate.ts):
 *   node dist/simulator/trace/generate-cli.js --rows 5000 --format ethereum-etl --out configs/traces/communities-etl.csv
 * Defaults are those of the shipped configs/traces files.
 */
import { parseArgs } from 'node:util';
import { EXIT, ShardsimError } from '../../crosslink/common/errors.js';
import { UsageError } from '../errors.js';
import { type GenerateTraceOptions, writeTraceFile } from './generate.js';

const USAGE = `usage: generate-cli --out FILE [--rows 5000] [--format ethereum-etl|xblock]
  [--accounts 2000] [--communities 20] [--cross-community 0.05] [--contracts 10]
  [--seed 1] [--tx-per-block 100] [--block-seconds 12]
Writes a synthetic trace with community structure (gzip-compressed if FILE ends in .gz).`;

function number(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} expects a number, got "${text}"\n${USAGE}`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      out: { type: 'string' },
      rows: { type: 'string', default: '5000' },
      format: { type: 'string', default: 'ethereum-etl' },
      accounts: { type: 'string', default: '2000' },
      communities: { type: 'string', default: '20' },
      'cross-community': { type: 'string', default: '0.05' },
      contracts: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      'tx-per-block': { type: 'string', default: '100' },
      'block-seconds': { type: 'string', default: '12' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.out === undefined) throw new UsageError(`--out is required\n${USAGE}`);
  if (values.format !== 'ethereum-etl' && values.format !== 'xblock') {
    throw new UsageError(`--format must be ethereum-etl or xblock, got "${values.format}"`);
  }
  const opts: GenerateTraceOptions = {
    rows: number('rows', values.rows),
    format: values.format,
    accounts: number('accounts', values.accounts),
    communities: number('communities', values.communities),
    crossCommunity: number('cross-community', values['cross-community']),
    contracts: number('contracts', values.contracts),
    seed: number('seed', values.seed),
    txPerBlock: number('tx-per-block', values['tx-per-block']),
    blockSeconds: number('block-seconds', values['block-seconds']),
  };
  const started = performance.now();
  await writeTraceFile(opts, values.out);
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`wrote ${opts.rows} ${opts.format} rows to ${values.out} in ${seconds.toFixed(2)} s\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // parseArgs reports unknown flags with a TypeError carrying an ERR_PARSE_ARGS_* code.
  const usage = (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
  if (err instanceof ShardsimError || usage) {
    process.stderr.write(`${(err as Error).message}${usage ? `\n${USAGE}` : ''}\n`);
    process.exitCode = err instanceof ShardsimError ? err.exitCode : EXIT.badInput;
  } else {
    throw err;
  }
});
