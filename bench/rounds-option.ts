/**
 * The `--rounds N` (and `--help`) command line of the benches that report
 * the best of N rounds: the number of rounds, or a usage line and exit 0, or
 * a clear message and exit 2.
 */
import { parseArgs } from 'node:util';

export function roundsOption(script: string): number {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    process.stdout.write(`usage: node dist/bench/${script} [--rounds N]\n`);
    process.exit(0);
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write(`bench: --rounds must be a whole number of at least 1, got "${values.rounds}"\n`);
    process.exit(2);
  }
  return rounds;
}
