/**
 * A member's uplink sending one message to each other member, one at a time
 * (contract.ts): the k-th recipient in rotation order (sender + k modulo m)
 * can use it once the first k transmissions have gone out, the message has
 * travelled and been processed. Both the leader's block fan-out and every
 * member's vote fan-out are this.
 */
import type { MessageKey, NetworkModel } from '../../crosslink/network/model.js';

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
  const sender = committee[from]!;
  const processing = model.processingMs;
  let sent = startMs;
  for (let k = 1; k < m; k++) {
    let to = from + k;
    if (to >= m) to -= m;
    const receiver = committee[to]!;
    sent += model.transmitMs(sender, receiver, bytes);
    out[base + to * stride] = sent + model.latencyMs(sender, receiver, key) + processing;
  }
  return sent;
}
