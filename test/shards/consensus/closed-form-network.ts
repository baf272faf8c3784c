/**
 * The closed-form cases' network and input: one region, latency L, processing
 * P (a message's flight d = L + P), bandwidth B; a block's transmission T, a
 * vote's v. Two settings, all binary fractions so that sums are exact and the
 * tests compare with toBe.
 */
import type { ConsensusInput } from '../../../shards/consensus/contract.js';
import { firstMembers, fixedNetwork } from '../../helpers/fixed-network.js';

export interface ClosedForm {
  readonly L: number;
  readonly P: number;
  readonly bitsPerMs: number;
  readonly blockBytes: number;
  readonly voteBytes: number;
}

/** T = 64 ms (1,024,000 bytes at 128 Mbit/s), v = 0.0625 ms, d = 0.5 ms. */
export const SMALL: ClosedForm = { L: 0.375, P: 0.125, bitsPerMs: 128_000, blockBytes: 1_024_000, voteBytes: 1_000 };
/** T = 1 s (1 MB at 8 Mbit/s), v = 1 ms, d = 5 ms. */
export const SLOW: ClosedForm = { L: 4, P: 1, bitsPerMs: 8_000, blockBytes: 1_000_000, voteBytes: 1_000 };

export function times(c: ClosedForm): { T: number; v: number; d: number } {
  return { T: (c.blockBytes * 8) / c.bitsPerMs, v: (c.voteBytes * 8) / c.bitsPerMs, d: c.L + c.P };
}

export function closedFormInput(c: ClosedForm, m: number, overrides: Partial<ConsensusInput> = {}): ConsensusInput {
  return {
    model: fixedNetwork({ validators: m, latencyMs: c.L, bitsPerMs: c.bitsPerMs, processingMs: c.P }),
    committee: firstMembers(m),
    leader: 0,
    slot: 0,
    blockBytes: c.blockBytes,
    voteBytes: c.voteBytes,
    dissemination: 'direct',
    ...overrides,
  };
}
