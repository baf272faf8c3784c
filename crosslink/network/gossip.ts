/**
 * A message spread through a committee by gossip: whoever holds it forwards
 * it to D peers that do not have it yet, as libp2p gossipsub forwards a
 * message to its D mesh peers (libp2p/specs, pubsub/gossipsub/gossipsub-v1.0.md,
 * "Parameters"; D = 8 is the degree Ethereum's consensus layer sets,
 * ethereum/consensus-specs, specs/phase0/p2p-interface.md, where the libp2p
 * default is 6).
 *
 * Computed exactly, event by event (Dijkstra's order over arrival times):
 * the earliest holder not yet handled forwards, from its own arrival time,
 * to D members drawn by the seed, without replacement, among those that do
 * not have it at that time (fewer if fewer lack it), one copy after another
 * through its uplink (uplink.ts's rule); each member's first arrival is
 * kept. Events at equal times are handled in member order, so the result is
 * a function of its arguments alone. Each holder draws only among the
 * members still lacking the message, so a message costs O(m·D) draws, not
 * O(m²).
 *
 * Two idealisations: a holder knows which members already have the message
 * (gossipsub's IDONTWANT, v1.2, tells it about part of them), and its D
 * peers are drawn afresh for each message (gossipsub's mesh is a standing
 * random subset of the topic's peers, rebuilt at each heartbeat).
 */
import { InternalError } from '../common/errors.js';
import { ArrivalHeap } from './arrival-heap.js';
import { chain, DRAW_TAG, seedTag, unitOpen } from './keyed-draw.js';
import { LatencyCache } from './latency-cache.js';
import type { MessageKey, NetworkModel } from './model.js';

/** The mesh degree D (Ethereum consensus-specs' gossipsub parameter). */
export const GOSSIP_DEGREE = 8;

export interface GossipMessage {
  /** The validators the message spreads among (a committee). */
  readonly members: readonly number[];
  /** The position in `members` of the member that has it first. */
  readonly origin: number;
  readonly bytes: number;
  /** When the origin has it and its uplink is free, ms. */
  readonly t0: number;
  /** The message's identity: its latency draws and its peer choices. */
  readonly key: MessageKey;
}

export interface GossipResult {
  /** Each member's first arrival (processed), ms, by position in `members`; the origin's is t0. */
  readonly arrivalMs: Float64Array;
  /** Copies each member sent, by position in `members`. */
  readonly copiesSent: Uint32Array;
  /** The position of the member whose copy arrived first, by position in `members`; -1 for the origin. */
  readonly firstFrom: Int32Array;
  /** When each member's uplink is free again after its copies, ms (0 for a member that sent none). */
  readonly uplinkFreeMs: Float64Array;
}

export function gossipArrivals(model: NetworkModel, message: GossipMessage, seed: number, degree: number = GOSSIP_DEGREE): GossipResult {
  const { members, origin, bytes, t0, key } = message;
  const m = members.length;
  if (!(Number.isInteger(origin) && origin >= 0 && origin < m))
    throw new InternalError(`gossip: the origin must be a position in the ${m} members, got ${origin}`);
  if (!(Number.isInteger(degree) && degree >= 1)) throw new InternalError(`gossip: the degree must be a whole number >= 1, got ${degree}`);

  const arrival = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  const copiesSent = new Uint32Array(m);
  const firstFrom = new Int32Array(m).fill(-1);
  const uplinkFreeMs = new Float64Array(m);
  // The members not yet handled, in an order the draws permute (slot i of `lacking` holds member lacking[i]; at[c] is c's slot).
  const lacking = new Int32Array(m);
  const at = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    lacking[i] = i;
    at[i] = i;
  }
  let left = m;
  const remove = (c: number): void => {
    const i = at[c]!;
    const last = lacking[--left]!;
    lacking[i] = last;
    at[last] = i;
    lacking[left] = c;
    at[c] = left;
  };
  const messageTag = chain(chain(chain(seedTag(seed, DRAW_TAG.gossip), key.slot), key.kind), key.index);
  const processing = model.processingMs;
  const heap = new ArrivalHeap(2 * m);
  // A cache remembers the block's draws: its other timings (other sizes) draw the same copies' latencies.
  const remembered = model instanceof LatencyCache ? model.fanOutRows(members, key) : null;

  arrival[origin] = t0;
  heap.push(t0, origin);
  while (heap.size > 0) {
    const t = heap.topTime();
    const p = heap.topMember();
    heap.pop();
    if (at[p]! >= left) continue; // a later copy of an arrival already handled
    remove(p);
    if (left === 0) break;
    const from = members[p]!;
    const holderTag = chain(messageTag, from);
    let sent = t;
    let chosen = 0;
    // A partial Fisher-Yates shuffle of the lacking members, drawn only as far as D peers need.
    for (let i = 0; i < left && chosen < degree; i++) {
      const j = i + Math.floor(unitOpen(chain(holderTag, i)) * (left - i));
      const c = lacking[j]!;
      lacking[j] = lacking[i]!;
      at[lacking[j]!] = j;
      lacking[i] = c;
      at[c] = i;
      // Not yet handled, but arriving at this very time: it has it already.
      if (arrival[c]! <= t) continue;
      chosen++;
      const to = members[c]!;
      sent += model.transmitMs(from, to, bytes);
      // A copy that could not beat c's earliest arrival even with no latency needs no draw (draws are keyed, so skipping one shifts no other).
      if (sent + processing >= arrival[c]!) continue;
      const latency = remembered === null ? model.latencyMs(from, to, key) : remembered.exactLatency(c, p);
      const arrives = sent + latency + processing;
      if (arrives < arrival[c]!) {
        arrival[c] = arrives;
        firstFrom[c] = p;
        heap.push(arrives, c);
      }
    }
    copiesSent[p] = chosen;
    if (chosen > 0) uplinkFreeMs[p] = sent;
  }
  return { arrivalMs: arrival, copiesSent, firstFrom, uplinkFreeMs };
}
