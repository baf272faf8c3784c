/** The built-in contracts by kind. */
import { accessed } from './accessed.js';
import { amm } from './amm.js';
import type { ContractKind, ContractLogic } from './contract.js';
import { dao } from './dao.js';
import { nft } from './nft.js';
import { router } from './router.js';
import { token } from './token.js';

export const CONTRACTS: Readonly<Record<ContractKind, ContractLogic>> = { token, amm, nft, dao, router, accessed };
