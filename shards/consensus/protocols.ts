/** The consensus protocols by the name `consensus.protocol` gives them. */
import { ConfigError } from '../../crosslink/common/errors.js';
import type { ConsensusProtocol, ProtocolName } from './contract.js';
import { hotstuff } from './hotstuff.js';
import { ideal } from './ideal.js';
import { pbft } from './pbft.js';
import { tendermint } from './tendermint.js';

export const PROTOCOLS: Readonly<Record<ProtocolName, ConsensusProtocol>> = { pbft, hotstuff, tendermint, ideal };

/** The protocol named `name`, with its default options. */
export function consensusProtocol(name: string): ConsensusProtocol {
  if (Object.hasOwn(PROTOCOLS, name)) return PROTOCOLS[name as ProtocolName];
  throw new ConfigError('consensus.protocol', `unknown protocol "${name}": choose one of ${Object.keys(PROTOCOLS).join(', ')}`);
}
