/**
 * `gossip` dissemination: the proposal spreads through the committee as
 * crosslink/network/gossip.ts times it (each holder forwards to D = 8 peers,
 * libp2p gossipsub's mesh degree as Ethereum sets it). A member's votes queue
 * behind the copies it forwarded.
 */
import { gossipArrivals } from '../../crosslink/network/gossip.js';
import type { ProposalArrivals, ProposalSpread } from './contract.js';

/** A gossip spread whose peer choices are drawn under `seed`. */
export function gossipSpread(seed: number): ProposalSpread {
  return ({ model, committee, proposer, bytes, key }): ProposalArrivals => {
    const g = gossipArrivals(model, { members: committee, origin: proposer, bytes, t0: 0, key }, seed);
    let messages = 0;
    for (let i = 0; i < g.copiesSent.length; i++) messages += g.copiesSent[i]!;
    return { arrivalMs: g.arrivalMs, uplinkFreeMs: g.uplinkFreeMs, messages, bytes: messages * bytes };
  };
}
