// Reference copy of shards/consensus/uplink.ts as first written (one model call per message through sendInTurn's callbacks): the straightforward timings the optimized ones must equal bit for bit (equivalence.test.ts). Do not optimize.
/**
 * A member's uplink sending one message to each other member, one at a time
 * (contract.ts), by the network's one uplink rule (crosslink/network/uplink.ts
 * sendInTurn), in rotation order (sender + k modulo m). Both the leader's
 * block fan-out and every member's vote fan-out are this.
 */
import type { MessageKey, NetworkModel } from '../../../../crosslink/network/model.js';
import { sendInTurn } from '../../../../crosslink/network/uplink.js';

/**
 * Sends `bytes` from committee position `from` to every other member,
 * starting at `startMs`, and writes the arrival at member `to` into
 * `out[base + to * stride]` (the sender's own entry is left alone).
 * Returns when the uplink is free again.
 */
export function fanOut(
  model: NetworkModel,
  committee: readonly number[],
  from: number,
  startMs: number,
  bytes: number,
  key: MessageKey,
  out: Float64Array,
  base: number,
  stride: number,
): number {
  const m = committee.length;
  // Recipient k (from 0) is the member `from + k + 1` places on, modulo m: every other member once.
  const position = (k: number): number => {
    const to = from + k + 1;
    return to >= m ? to - m : to;
  };
  return sendInTurn(
    model,
    committee[from]!,
    m - 1,
    (k) => committee[position(k)]!,
    bytes,
    startMs,
    key,
    (k, ms) => {
      out[base + position(k) * stride] = ms;
    },
  );
}
