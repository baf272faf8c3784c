import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, EXIT, InternalError } from '../../../crosslink/common/errors.js';
import { ideal } from '../../../shards/consensus/ideal.js';
import { consensusProtocol, PROTOCOLS } from '../../../shards/consensus/protocols.js';
import { faultTolerance, quorumSize } from '../../../shards/consensus/quorum.js';
import { jitteredNetwork } from '../../helpers/fixed-network.js';
import { closedFormInput, SMALL } from './closed-form-network.js';

const BFT = ['pbft', 'hotstuff', 'tendermint'] as const;

describe('consensus protocols by name', () => {
  it('finds each protocol by its consensus.protocol name', () => {
    for (const name of ['pbft', 'hotstuff', 'tendermint', 'ideal'] as const) expect(consensusProtocol(name).name).toBe(name);
  });

  it('refuses an unknown name with a ConfigError naming consensus.protocol and the choices (exit code 2)', () => {
    for (const name of ['raft', 'toString', '__proto__']) {
      const error = (() => {
        try {
          consensusProtocol(name);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).where).toBe('consensus.protocol');
      expect((error as ConfigError).exitCode).toBe(EXIT.badInput);
      expect((error as ConfigError).message).toContain('pbft, hotstuff, tendermint, ideal');
    }
  });
});

describe('committee checks', () => {
  it('refuses a BFT committee smaller than 4 with a ConfigError naming consensus.protocol and the committee size', () => {
    for (const name of BFT) {
      for (const m of [1, 2, 3]) {
        const run = () => PROTOCOLS[name].agree(closedFormInput(SMALL, m));
        expect(run).toThrow(ConfigError);
        expect(run).toThrow(`consensus.protocol: ${name} needs a committee of at least 4 members`);
        expect(run).toThrow(`has ${m}`);
      }
      expect(PROTOCOLS[name].agree(closedFormInput(SMALL, 4)).commitMs).toBeGreaterThan(0);
    }
  });

  it('refuses an input the caller built wrong as an internal error', () => {
    const good = closedFormInput(SMALL, 8);
    const wrong = [
      { ...good, leader: 99 },
      { ...good, committee: [0, 1, 2, 3, 4, 5, 6, 6] },
      { ...good, committee: [0, 1, 2, 3, 4, 5, 6, 8] },
      { ...good, committee: [0, 1, 2, 3, 4, 5, 6, 1.5] },
      { ...good, blockBytes: -1 },
      { ...good, voteBytes: Number.NaN },
      { ...good, slot: -1 },
    ];
    for (const name of BFT) for (const input of wrong) expect(() => PROTOCOLS[name].agree(input)).toThrow(InternalError);
  });
});

describe('quorum', () => {
  it('is m - f: 2f + 1 when m = 3f + 1, more than two thirds, and any two quorums share more than f members', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (m) => {
        const f = faultTolerance(m);
        const q = quorumSize(m);
        expect(3 * f + 1).toBeLessThanOrEqual(m);
        expect(3 * (f + 1) + 1).toBeGreaterThan(m);
        expect(q).toBe(Math.floor((2 * m) / 3) + 1);
        expect(2 * q - m).toBeGreaterThan(f);
        if (m === 3 * f + 1) expect(q).toBe(2 * f + 1);
      }),
    );
    // 2f + 1 alone would not do at m = 128 (f = 42): two sets of 85 may share only 42 members.
    expect(quorumSize(128)).toBe(86);
  });
});

describe('ideal', () => {
  it('commits at time 0 with no messages, for any committee', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat({ max: 10 ** 8 }), (m, bytes) => {
        const r = ideal.agree({ ...closedFormInput(SMALL, m), model: jitteredNetwork(m, 1), blockBytes: bytes });
        expect(r.commitMs).toBe(0);
        expect(r.proposalMs).toBe(0);
        expect(r.voteMs).toBe(0);
        expect(r.proposal).toEqual({ messages: 0, bytes: 0 });
        expect(r.votes).toEqual({ messages: 0, bytes: 0 });
      }),
    );
  });
});
