/**
 * `npm run bench:consensus`: what timing one block's agreement costs, in ms
 * of CPU time per block, for each protocol at committees of 16, 64 and 128
 * members on the `global-2019` network (Pareto latency draws, `direct`
 * dissemination, a 20 KB block (the 127-copy fan-out then fits Tendermint's 3 s timeout_propose) and 150-byte votes). Each figure is the best of
 * `--rounds` rounds (default 5) of about 0.3 s each, the protocols taking
 * turns, so a slow second on a shared machine hits them alike. 1,024 shards
 * time 1,024 blocks a slot: multiply by 1,024 for the CPU a slot costs.
 *
 *   npm run build && node dist/bench/consensus.js [--rounds N]
 */
import { createNetworkModel } from '../crosslink/network/create-model.js';
import { GLOBAL_2019 } from '../crosslink/network/presets.js';
import type { ConsensusInput } from '../shards/consensus/contract.js';
import { PROTOCOLS } from '../shards/consensus/protocols.js';
import { roundsOption } from './rounds-option.js';

const rounds = roundsOption('consensus.js');

const SIZES = [16, 64, 128] as const;
const NAMES = ['pbft', 'tendermint', 'hotstuff'] as const;
/** Committees cycled through, so one committee's region mix does not decide a figure. */
const COMMITTEES = 16;
const ROUND_MS = 300;

const model = createNetworkModel(GLOBAL_2019, 128 * COMMITTEES, 7);

function inputs(m: number): ConsensusInput[] {
  return Array.from({ length: COMMITTEES }, (_, c) => {
    const committee = Array.from({ length: m }, (_, i) => c * 128 + i);
    return { model, committee, leader: committee[c % m]!, slot: c, blockBytes: 20_000, voteBytes: 150, dissemination: 'direct' };
  });
}

/** CPU ms per block of `name` over `cases`, for about ROUND_MS of CPU (CPU, not wall time: other processes on a shared machine then cost the figure nothing). */
function timeRound(name: (typeof NAMES)[number], cases: readonly ConsensusInput[]): number {
  const protocol = PROTOCOLS[name];
  let blocks = 0;
  let sink = 0;
  const start = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (const input of cases) sink += protocol.agree({ ...input, slot: input.slot + blocks }).commitMs;
    blocks += cases.length;
    const used = process.cpuUsage(start);
    elapsed = (used.user + used.system) / 1000;
  }
  if (Number.isNaN(sink)) throw new Error('a timing was NaN');
  return elapsed / blocks;
}

process.stdout.write(`CPU ms per block (best of ${rounds} rounds), global-2019, direct, 20 KB block, 150-byte votes\n`);
process.stdout.write(`${'m'.padStart(5)}${NAMES.map((n) => n.padStart(12)).join('')}\n`);
for (const m of SIZES) {
  const cases = inputs(m);
  const best = NAMES.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < rounds; r++) NAMES.forEach((name, i) => (best[i] = Math.min(best[i]!, timeRound(name, cases))));
  process.stdout.write(`${String(m).padStart(5)}${best.map((ms) => ms.toFixed(4).padStart(12)).join('')}\n`);
}
