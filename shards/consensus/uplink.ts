/**
 * A member's uplink sending one message to each other member, one at a time
 * (contract.ts), by the network's one uplink rule (crosslink/network/uplink.ts
 * sendInTurn), in rotation order (sender + k modulo m). Both the leader's
 * block fan-out and every member's vote fan-out are this.
 */
import type { MessageKey, NetworkModel } from '../../crosslink/network/model.js';
import { sendInRotation } from '../../crosslink/network/uplink.js';

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
  return sendInRotation(model, committee, from, startMs, bytes, key, out, base, stride);
}
