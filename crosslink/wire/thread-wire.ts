/**
 * Thread messages: each message kind's buffers (layout.ts), transferred
 * (moved, not copied) with postMessage; nothing goes through JSON or the
 * structured cloning of object graphs. The layouts themselves live in one
 * module a kind; this is what the threaded transport uses.
 */

export { decodeCommands, encodeCommands } from './commands.js';
export { transferOf, type Wire } from './layout.js';
export {
  batchCount,
  batchNums,
  encodeBatches,
  encodedBatchNums,
  encodedDst,
  encodedProofBytes,
  encodedSrcSlot,
  readBatch,
  writeBatch,
} from './receipts.js';
export { decodeReports, encodeReports } from './reports.js';
