/**
 * One sender's uplink pushing one message to several recipients: it sends
 * one copy at a time, in the order given, so the k-th copy (from 1) leaves
 * once k transmissions are done, then travels its latency and is processed.
 * A leader that sends its block to 127 members pays 127 transmissions before
 * the last one even leaves.
 *
 * SimBlock serializes a node's uploads the same way: a node holds a queue of
 * block requests and sends the next only when the previous is done
 * (dsg-titech/simblock, simulator/src/main/java/simblock/node/Node.java,
 * messageQue and sendNextBlockMessage). SimBlock frees the uplink only when
 * the previous copy has arrived; here it is free once the copy has been
 * transmitted, as a link is: the latency of one copy overlaps the
 * transmission of the next.
 */
import type { MessageKey, NetworkModel } from './model.js';

/**
 * The rule itself: sends one copy of `bytes` to each of `count` recipients in
 * turn (`recipient(k)`, k from 0), the uplink free from `t0`, and reports when
 * each holds it through `arrived(k, ms)`: after the transmissions of copies
 * 0..k, its latency and processing. A recipient that is the sender itself
 * holds it at `t0` and costs no transmission. Returns when the uplink is free
 * again.
 */
export function sendInTurn(
  model: NetworkModel,
  from: number,
  count: number,
  recipient: (k: number) => number,
  bytes: number,
  t0: number,
  key: MessageKey,
  arrived: (k: number, ms: number) => void,
): number {
  let sent = t0;
  for (let k = 0; k < count; k++) {
    const to = recipient(k);
    if (to === from) {
      arrived(k, t0);
      continue;
    }
    sent += model.transmitMs(from, to, bytes);
    arrived(k, arrivalMs(sent, model.latencyMs(from, to, key), model.processingMs));
  }
  return sent;
}

/** When a copy is usable at its recipient: its transmission ended at `sentMs`, then its latency, then the recipient's processing. */
export function arrivalMs(sentMs: number, latencyMs: number, processingMs: number): number {
  return sentMs + latencyMs + processingMs;
}

/** Reused buffers of sendInRotation (filled and read within one synchronous call). */
let recipientBuffer = new Int32Array(0);
let latencyBuffer = new Float64Array(0);

/**
 * sendInTurn's rule for the one order a committee's fan-out uses, written
 * out without callbacks (it runs m² times a block): `from` (a position in
 * `members`) sends to every other member in rotation order, recipient k
 * (from 0) being the member `from + k + 1` places on, modulo the members'
 * count; the copy to member p is written to `out[base + p * stride]` (the
 * sender's own entry is left alone). The same figures as
 * sendInTurn(model, members[from], members.length - 1, (k) => members[(from + k + 1) % members.length], ...),
 * with the latencies asked of the model in one batch where it offers one.
 *
 * With `sentAt`, and a model that estimates latencies (estimateLatenciesMs),
 * `out` receives estimates instead, each copy's latency within
 * LATENCY_ESTIMATE_ERROR, and `sentAt` (at the same index) when the copy's
 * transmission ended: its exact figure is then
 * arrivalMs(sentAt, model.latencyMs(...), model.processingMs) (NaN where
 * `out` holds the exact figure).
 * Returns when the uplink is free again.
 */
export function sendInRotation(
  model: NetworkModel,
  members: readonly number[],
  from: number,
  t0: number,
  bytes: number,
  key: MessageKey,
  out: Float64Array,
  base: number,
  stride: number,
  sentAt?: Float64Array,
): number {
  const m = members.length;
  const count = m - 1;
  if (recipientBuffer.length < count) {
    recipientBuffer = new Int32Array(Math.max(count, recipientBuffer.length * 2));
    latencyBuffer = new Float64Array(recipientBuffer.length);
  }
  const to = recipientBuffer;
  const latency = latencyBuffer;
  const sender = members[from]!;
  for (let k = 0, p = from + 1; k < count; k++, p++) to[k] = members[p >= m ? p - m : p]!;
  const estimating = sentAt !== undefined && model.estimateLatenciesMs !== undefined;
  if (estimating) model.estimateLatenciesMs!(sender, to, count, key, latency);
  else if (model.latenciesMs !== undefined) model.latenciesMs(sender, to, count, key, latency);
  else for (let k = 0; k < count; k++) latency[k] = to[k] === sender ? 0 : model.latencyMs(sender, to[k]!, key);
  const processing = model.processingMs;
  let sent = t0;
  for (let k = 0, p = from + 1; k < count; k++, p++) {
    const at = base + (p >= m ? p - m : p) * stride;
    const recipient = to[k]!;
    if (recipient === sender) {
      out[at] = t0;
      if (estimating) sentAt![at] = Number.NaN;
      continue;
    }
    sent += model.transmitMs(sender, recipient, bytes);
    out[at] = arrivalMs(sent, latency[k]!, processing);
    if (estimating) sentAt![at] = sent;
  }
  return sent;
}

/**
 * When each of `recipients` holds the message (arrived and processed), ms:
 * the sender's uplink is free from `t0`, and the copy to recipients[k] (k from
 * 0) arrives at t0 + (transmissions of copies 0..k) + its latency +
 * processing. A recipient that is the sender itself holds it at t0 and costs
 * no transmission.
 */
export function uplinkArrivals(model: NetworkModel, from: number, recipients: readonly number[], bytes: number, t0: number, key: MessageKey): Float64Array {
  const arrival = new Float64Array(recipients.length);
  sendInTurn(
    model,
    from,
    recipients.length,
    (k) => recipients[k]!,
    bytes,
    t0,
    key,
    (k, ms) => {
      arrival[k] = ms;
    },
  );
  return arrival;
}
