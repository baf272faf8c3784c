/**
 * `npm run bench:sha256`: why crosslink/hash/sha256-compress.ts writes
 * SHA-256's compression out by hand. Hashes the inputs the hot paths hash
 * (a 64-byte block: a Merkle node; 64- and 96-byte messages: two compressions
 * with their padding, as a long leaf) three ways, and prints hashes per
 * second and the ratios:
 *
 *   hand-written  the compression of sha256-compress.ts, padding in place
 *   noble process @noble/hashes' own compression (`process` of its SHA-256
 *                 class) driven the same way: same padding, same buffers
 *   noble sha256  @noble/hashes' `sha256(bytes)` one-shot
 *
 * Every way is checked to give the same digests first. Each figure is the
 * best of `--rounds` timed rounds (default 5) of about 0.2 s each, the ways
 * taking turns, so a slow second on a shared machine hits them alike.
 *
 *   npm run build && node dist/bench/sha256.js [--rounds N]
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { compress, digestInPlace, HASH_BYTES, paddedLength, SHA256_IV, writeState } from '../crosslink/hash/sha256-compress.js';
import { nobleCore } from './noble-core.js';
import { roundsOption } from './rounds-option.js';

const rounds = roundsOption('sha256.js');

const core = nobleCore();

/** How many different inputs each way cycles through (enough to leave the caches' sweet spot alone, as a tree does). */
const INPUTS = 1024;

/** An input set: messages of `len` bytes, each in a buffer with room for its padding, padded once. */
interface Inputs {
  readonly len: number;
  readonly stride: number;
  readonly buf: Uint8Array;
  readonly view: DataView;
  readonly messages: Uint8Array[];
}

function inputs(len: number): Inputs {
  const stride = paddedLength(len);
  const buf = new Uint8Array(stride * INPUTS);
  // A fixed xorshift fill: the same bytes every run.
  let x = 0x9e3779b9;
  const messages: Uint8Array[] = [];
  const scratch = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < INPUTS; i++) {
    for (let j = 0; j < len; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      buf[i * stride + j] = x;
    }
    messages.push(buf.slice(i * stride, i * stride + len));
    digestInPlace(buf, i * stride, len, scratch, 0); // pads the message where it lies
  }
  return { len, stride, buf, view: new DataView(buf.buffer), messages };
}

const out = new Uint8Array(HASH_BYTES * INPUTS);
const h = new Int32Array(8);

/** The hand-written compression from SHA-256's IV over each padded message (`stride / 64` blocks), or over its first block alone when `oneBlock`. */
function handWritten(inp: Inputs, oneBlock: boolean): void {
  const { buf, stride } = inp;
  const blocks = oneBlock ? 1 : stride / 64;
  for (let i = 0; i < INPUTS; i++) {
    const start = i * stride;
    h.set(SHA256_IV);
    for (let b = 0; b < blocks; b++) compress(h, buf, start + 64 * b, buf, start + 64 * b + 32);
    writeState(h, out, i * HASH_BYTES);
  }
}

function writeWord(at: number, w: number): void {
  out[at] = w >>> 24;
  out[at + 1] = w >>> 16;
  out[at + 2] = w >>> 8;
  out[at + 3] = w;
}

/** noble's compression over the same padded messages, from the same IV, digest to the same place. */
function nobleProcess(inp: Inputs, oneBlock: boolean): void {
  const { view, stride } = inp;
  const blocks = oneBlock ? 1 : stride / 64;
  const c = core;
  const iv = SHA256_IV;
  for (let i = 0; i < INPUTS; i++) {
    const start = i * stride;
    c.set(iv[0]!, iv[1]!, iv[2]!, iv[3]!, iv[4]!, iv[5]!, iv[6]!, iv[7]!);
    for (let b = 0; b < blocks; b++) c.process(view, start + 64 * b);
    const at = i * HASH_BYTES;
    writeWord(at, c.A);
    writeWord(at + 4, c.B);
    writeWord(at + 8, c.C);
    writeWord(at + 12, c.D);
    writeWord(at + 16, c.E);
    writeWord(at + 20, c.F);
    writeWord(at + 24, c.G);
    writeWord(at + 28, c.H);
  }
}

/** noble's one-shot sha256 of each message (whole messages only: it pads them itself). */
function nobleSha256(inp: Inputs): void {
  for (let i = 0; i < INPUTS; i++) out.set(sha256(inp.messages[i]!), i * HASH_BYTES);
}

interface Way {
  readonly name: string;
  readonly run: () => void;
}

interface Case {
  readonly name: string;
  readonly ways: readonly Way[];
}

function digests(run: () => void): string {
  out.fill(0);
  run();
  return Buffer.from(out).toString('hex');
}

/** Hashes per second of `run` (INPUTS hashes a call), over about `seconds`. */
function rate(run: () => void, seconds: number): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < until) {
    run();
    calls++;
    now = process.hrtime.bigint();
  }
  return (calls * INPUTS) / (Number(now - start) / 1e9);
}

const m64 = inputs(64);
const m96 = inputs(96);
const cases: Case[] = [
  {
    name: 'one compression of a 64-byte block (a Merkle node)',
    ways: [
      { name: 'hand-written', run: () => handWritten(m64, true) },
      { name: 'noble process', run: () => nobleProcess(m64, true) },
    ],
  },
  ...[m64, m96].map((m) => ({
    name: `SHA-256 of a ${m.len}-byte message (2 compressions)`,
    ways: [
      { name: 'hand-written', run: () => handWritten(m, false) },
      { name: 'noble process', run: () => nobleProcess(m, false) },
      { name: 'noble sha256', run: () => nobleSha256(m) },
    ],
  })),
];

for (const c of cases) {
  const [first, ...rest] = c.ways.map((w) => digests(w.run));
  if (rest.some((d) => d !== first)) {
    process.stderr.write(`bench: the ways disagree on ${c.name}\n`);
    process.exit(1);
  }
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
process.stdout.write(`SHA-256 on ${INPUTS} inputs a case, best of ${rounds} rounds of ~0.2 s (digests of every way checked equal first)\n\n`);
process.stdout.write(
  '| input | hand-written hashes/s | noble process hashes/s | ratio | noble sha256 hashes/s | ratio |\n| --- | ---: | ---: | ---: | ---: | ---: |\n',
);
for (const c of cases) {
  for (const w of c.ways) rate(w.run, 0.1); // warm-up: every way compiled before it is timed
  const best = c.ways.map(() => 0);
  for (let r = 0; r < rounds; r++) c.ways.forEach((w, i) => (best[i] = Math.max(best[i]!, rate(w.run, 0.2))));
  const [hand, proc, one] = best as [number, number, number | undefined];
  const oneCols = one === undefined ? '| | |' : `| ${fmt(one)} | ${(hand / one).toFixed(2)}x |`;
  process.stdout.write(`| ${c.name} | ${fmt(hand)} | ${fmt(proc)} | ${(hand / proc).toFixed(2)}x ${oneCols}\n`);
}
process.stdout.write('\nratio: hand-written hashes/s over the way to its left.\n');
