/**
 * Redis job bodies: each message kind's numbers (packed) and bytes (layout.ts) in base64 text,
 * with the protocol version, as BullMQ's JSON carries them best. The layouts
 * themselves live in one module a kind; this is what the Redis transport uses.
 */

export { decodeCommand, encodeCommand, type WireCommand } from './commands.js';
export type { WireText } from './layout.js';
export { decodeBatch, encodeBatch, type WireBatch } from './receipts.js';
export { decodeReport, encodeReport, type WireReport } from './reports.js';
