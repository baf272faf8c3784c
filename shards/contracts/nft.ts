/**
 * An NFT collection: mint up to a supply cap (a popular drop is a burst of
 * mints on one contract, all of them reading and bumping the same counter),
 * and transfer by the owner. A mint writes the slot of the next token id,
 * which depends on the counter it reads: its slots cannot be declared up
 * front, so an access list locks the whole collection.
 */
import type { ContractLogic } from './contract.js';

export const NftOp = { Mint: 1, Transfer: 2 } as const;

const MINTED = 0;
const OWNER = 16;
export const nftSlots = { MINTED, owner: (t: number) => OWNER + t };

export const nft: ContractLogic = {
  knows: (op) => op === NftOp.Mint || op === NftOp.Transfer,
  gas: (op) => (op === NftOp.Mint ? 60_000 : 35_000),
  defaultValue: () => 0,
  conserved: () => null,
  declare: (_spec, call) => (call.op === NftOp.Mint ? null : [OWNER + call.a]),

  execute(spec, call, s) {
    const { from, op, a, b } = call;
    if (op === NftOp.Mint) {
      const minted = s.read(MINTED);
      if (minted >= (spec.cap ?? 0)) return false;
      s.write(OWNER + minted, from + 1);
      s.write(MINTED, minted + 1);
      return true;
    }
    if (op === NftOp.Transfer) {
      // transfer(tokenId = a, to = b): only its owner.
      if (a < 0 || a >= (spec.cap ?? 0) || s.read(OWNER + a) !== from + 1) return false;
      s.write(OWNER + a, b + 1);
      return true;
    }
    return false;
  },
};
