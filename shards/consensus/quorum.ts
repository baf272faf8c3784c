/**
 * Fault tolerance and quorum of a committee of m members.
 *
 * f = floor((m - 1) / 3) members may be Byzantine. The quorum is m - f, the
 * smallest count any two of which share an honest member for every m
 * (2q - m > f): HotStuff's n - f (Yin et al., PODC 2019, section 3),
 * Tendermint's "more than 2/3" (Buchman, Kwon, Milosevic 2018: floor(2m/3) + 1,
 * equal to m - f for every m), and PBFT's 2f + 1 when m = 3f + 1 (Castro and
 * Liskov, OSDI 1999, which assumes exactly 3f + 1 replicas). 2f + 1 alone is
 * not a quorum when m = 3f + 2 or 3f + 3: two sets of 2f + 1 may then share
 * only f members, all of them faulty.
 */

/** Byzantine members a committee of m tolerates: floor((m - 1) / 3). */
export function faultTolerance(m: number): number {
  return Math.floor((m - 1) / 3);
}

/** Members whose votes make a quorum: m - f (2f + 1 when m = 3f + 1). */
export function quorumSize(m: number): number {
  return m - faultTolerance(m);
}
