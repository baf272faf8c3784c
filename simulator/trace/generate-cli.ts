#!/usr/bin/env node
/**
 * Writes a synthetic community-structured trace (see generate.ts):
 *   node dist/simulator/trace/generate-cli.js --rows 5000 --format ethereum-etl --out configs/traces/communities-etl.csv
 * Defaults are those of the shipped configs/traces files. With --mainnet, mainnet-like
 * blocks instead (see generate-mainnet.ts), ethereum-etl only:
 *   node dist/simulator/trace/generate-cli.js --mainnet --blocks 100 --out mainnet.csv
 */
import { parseArgs } from 'node:util';
import { EXIT, ShardsimError } from '../../crosslink/common/errors.js';
import { UsageError } from '../errors.js';
import { type GenerateTraceOptions, writeTraceFile } from './generate.js';
import { type MainnetTraceOptions, writeMainnetTraceFile } from './generate-mainnet.js';

const USAGE = `usage: generate-cli --out FILE [--rows 5000] [--format ethereum-etl|xblock]
  [--accounts 2000] [--communities 20] [--cross-community 0.05] [--contracts 10]
  [--seed 1] [--tx-per-block 100] [--block-seconds 12]
       generate-cli --mainnet --out FILE [--blocks 100] [--tx-per-block 150] [--senders 10000] [--seed 1]
Writes a synthetic trace with community structure, or with --mainnet mainnet-like blocks
in the ethereum-etl layout (gzip-compressed if FILE ends in .gz).`;

/** Flags of one kind of trace only: the other kind rejects them rather than ignore them. */
const COMMUNITY_ONLY = ['rows', 'accounts', 'communities', 'cross-community', 'contracts', 'block-seconds'];
const MAINNET_ONLY = ['blocks', 'senders'];

function number(flag: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} expects a number, got "${text}"\n${USAGE}`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: true,
    tokens: true,
    options: {
      out: { type: 'string' },
      mainnet: { type: 'boolean', default: false },
      rows: { type: 'string', default: '5000' },
      format: { type: 'string', default: 'ethereum-etl' },
      accounts: { type: 'string', default: '2000' },
      communities: { type: 'string', default: '20' },
      'cross-community': { type: 'string', default: '0.05' },
      contracts: { type: 'string', default: '10' },
      blocks: { type: 'string', default: '100' },
      senders: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      // The default depends on the kind of trace: 100 (the shipped files) or 150 (mainnet in 2022).
      'tx-per-block': { type: 'string' },
      'block-seconds': { type: 'string', default: '12' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.out === undefined) throw new UsageError(`--out is required\n${USAGE}`);
  const given = new Set<string>(tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : [])));
  const misplaced = (values.mainnet ? COMMUNITY_ONLY : MAINNET_ONLY).find((flag) => given.has(flag));
  if (misplaced !== undefined) throw new UsageError(`--${misplaced} ${values.mainnet ? 'does not apply with' : 'needs'} --mainnet\n${USAGE}`);
  if (values.mainnet && values.format !== 'ethereum-etl') throw new UsageError(`--mainnet writes ethereum-etl only, got --format ${values.format}`);

  const started = performance.now();
  if (values.mainnet) {
    const opts: MainnetTraceOptions = {
      blocks: number('blocks', values.blocks),
      txPerBlock: number('tx-per-block', values['tx-per-block'] ?? '150'),
      senders: number('senders', values.senders),
      seed: number('seed', values.seed),
    };
    await writeMainnetTraceFile(opts, values.out);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `wrote ${opts.blocks} mainnet-like block${opts.blocks === 1 ? '' : 's'} (${opts.blocks * opts.txPerBlock} rows) to ${values.out} in ${seconds.toFixed(2)} s\n`,
    );
    return;
  }
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
    txPerBlock: number('tx-per-block', values['tx-per-block'] ?? '100'),
    blockSeconds: number('block-seconds', values['block-seconds']),
  };
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
