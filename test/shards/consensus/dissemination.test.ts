import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../crosslink/common/errors.js';
import type { MessageKey } from '../../../crosslink/network/model.js';
import { MessageKind, type ProposalSpread, type SpreadInput } from '../../../shards/consensus/contract.js';
import { directSpread } from '../../../shards/consensus/direct-spread.js';
import { PROTOCOLS } from '../../../shards/consensus/protocols.js';
import { COMETBFT_TIMEOUTS, makeTendermint } from '../../../shards/consensus/tendermint.js';
import { closedFormInput, SLOW, SMALL, times } from './closed-form-network.js';

const BFT = ['pbft', 'hotstuff', 'tendermint'] as const;

/** A spread that hands every member the block at `arriveMs` and keeps every uplink busy until `busyMs` (the proposer holds it at 0). */
function uniformSpread(arriveMs: number, busyMs: number, messages = 5, bytes = 123): ProposalSpread {
  return ({ committee, proposer }) => {
    const arrivalMs = new Float64Array(committee.length).fill(arriveMs);
    arrivalMs[proposer] = 0;
    return { arrivalMs, uplinkFreeMs: new Float64Array(committee.length).fill(busyMs), messages, bytes };
  };
}

describe('dissemination', () => {
  it('direct: member k (counted from the proposer) holds the block at kT + d; only the proposer uplink is busy, for (m - 1)T', () => {
    const { T, d } = times(SMALL);
    const m = 9;
    const input = closedFormInput(SMALL, m);
    const r = directSpread({ model: input.model, committee: input.committee, proposer: 3, bytes: SMALL.blockBytes, key: { slot: 0, kind: 0, index: 0 } });
    expect([...r.arrivalMs]).toEqual(Array.from({ length: m }, (_, i) => (i === 3 ? 0 : ((i - 3 + m) % m) * T + d)));
    expect([...r.uplinkFreeMs]).toEqual(Array.from({ length: m }, (_, i) => (i === 3 ? (m - 1) * T : 0)));
    expect(r).toMatchObject({ messages: m - 1, bytes: (m - 1) * SMALL.blockBytes });
  });

  it("uses the caller's spread: its arrivals shift every phase, its busy uplinks delay the votes, and its traffic is reported", () => {
    for (const name of BFT) {
      const base = PROTOCOLS[name].agree(closedFormInput(SMALL, 16, { dissemination: uniformSpread(0, 0) }));
      const late = PROTOCOLS[name].agree(closedFormInput(SMALL, 16, { dissemination: uniformSpread(1_024, 0) }));
      const busy = PROTOCOLS[name].agree(closedFormInput(SMALL, 16, { dissemination: uniformSpread(0, 1_024) }));
      expect(late.commitMs, name).toBe(base.commitMs + 1_024);
      expect(busy.commitMs, name).toBe(base.commitMs + 1_024);
      expect(late.proposal).toEqual({ messages: 5, bytes: 123 });
    }
  });

  it('asks the spread for the proposer of each round, keyed by slot, the proposal kind and the round', () => {
    const asked: { proposer: number; key: MessageKey }[] = [];
    const recording: ProposalSpread = (input: SpreadInput) => {
      asked.push({ proposer: input.proposer, key: input.key });
      // Late beyond timeout_propose for every member but the proposer in rounds 0 and 1.
      return uniformSpread(asked.length <= 2 ? 10_000 : 1, 0)(input);
    };
    const protocol = makeTendermint({ timeouts: COMETBFT_TIMEOUTS, maxRounds: 8 });
    const r = protocol.agree(closedFormInput(SLOW, 7, { leader: 5, slot: 42, dissemination: recording }));
    expect(r.rounds).toBe(3);
    expect(asked).toEqual([0, 1, 2].map((round) => ({ proposer: (5 + round) % 7, key: { slot: 42, kind: MessageKind.proposal, index: round } })));
  });

  it('refuses a spread that answers for another committee size or with no arrival time', () => {
    const short: ProposalSpread = () => ({ arrivalMs: new Float64Array(3), uplinkFreeMs: new Float64Array(3), messages: 0, bytes: 0 });
    const never: ProposalSpread = (input) => ({ ...uniformSpread(Number.NaN, 0)(input) });
    for (const name of BFT) {
      expect(() => PROTOCOLS[name].agree(closedFormInput(SMALL, 8, { dissemination: short }))).toThrow(InternalError);
      expect(() => PROTOCOLS[name].agree(closedFormInput(SMALL, 8, { dissemination: never }))).toThrow(InternalError);
    }
  });
});
