/**
 * What every protocol checks of its input before timing it: a committee the
 * protocol can run (a user's choice of committee size, so a ConfigError with
 * exit code 2), and an input the caller built right (a bug otherwise).
 */
import { ConfigError, InternalError } from '../../crosslink/common/errors.js';
import type { ConsensusInput, ProtocolName } from './contract.js';

/** Checks `input` for `protocol` and returns the leader's position in the committee. */
export function checkCommittee(protocol: ProtocolName, minCommittee: number, input: ConsensusInput): number {
  const { committee, model, leader } = input;
  const m = committee.length;
  if (m < minCommittee) {
    throw new ConfigError(
      'consensus.protocol',
      `${protocol} needs a committee of at least ${minCommittee} members (3f + 1 with f = 1), but a shard's committee has ${m}: ` +
        'raise security.validators, lower the shard count, or choose consensus.protocol: ideal',
    );
  }
  const seen = new Set<number>();
  let position = -1;
  for (let i = 0; i < m; i++) {
    const v = committee[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= model.validators)
      throw new InternalError(`committee member ${v} is not a validator of the network model (0..${model.validators - 1})`);
    if (seen.has(v)) throw new InternalError(`validator ${v} is in the committee twice`);
    seen.add(v);
    if (v === leader) position = i;
  }
  if (position < 0) throw new InternalError(`the leader ${leader} is not a member of the committee`);
  for (const [name, bytes] of [
    ['blockBytes', input.blockBytes],
    ['voteBytes', input.voteBytes],
  ] as const) {
    if (!(Number.isFinite(bytes) && bytes >= 0)) throw new InternalError(`${name} must be a finite number of bytes >= 0, got ${bytes}`);
  }
  if (!(Number.isInteger(input.slot) && input.slot >= 0)) throw new InternalError(`slot must be an integer >= 0, got ${input.slot}`);
  return position;
}
