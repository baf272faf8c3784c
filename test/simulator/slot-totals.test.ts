import { describe, expect, it } from 'vitest';
import { HASH_BYTES } from '../../crosslink/hash.js';
import { type MetricField, SLOT_METRICS, type SlotMetrics } from '../../crosslink/slot-metrics.js';
import type { SlotReport } from '../../crosslink/transport.js';
import { decodeReport, encodeReport, type WireReport } from '../../crosslink/wire/codec.js';
import { decodeReports, encodeReports } from '../../crosslink/wire/thread-wire.js';
import { EXEC_STAT_NUMS, EXEC_STATS, type ExecStatField, packExecStats, type ReportedExecStats } from '../../shards/executors/exec-stats.js';
import { execFigureOf, layOutExecFigures } from '../../simulator/exec-figures.js';
import type { RunResult, SweepResults } from '../../simulator/results.js';
import { RunResultSchema } from '../../simulator/run-result-schema.js';
import { execColumnName, toCsv } from '../../simulator/runs-csv.js';
import { SlotTotals } from '../../simulator/slot-totals.js';

const SHARDS = 3;
const SLOTS = 4;
const GAS_PER_SECOND = 3e6;
const hash = new Uint8Array(HASH_BYTES);

/** Figures of its own for every row, shard and slot (some blocks without gas). */
function reportOf(shard: number, slot: number): SlotReport {
  const v = (k: number): number => ((shard * 7 + slot * 13 + k * 5) % 17) / 3 + k;
  const metrics = Object.fromEntries(SLOT_METRICS.map((f, k) => [f.name, f.name === 'gasUsed' ? ((shard + slot) % 3) * 10_007 : v(k)])) as SlotMetrics;
  const stats = Object.fromEntries(EXEC_STATS.map((f, k) => [f.name, v(k + 50)])) as ReportedExecStats;
  const header = { shard, slot, parentHash: hash, stateRoot: hash, txRoot: hash, receiptsRoot: hash, gasUsed: metrics.gasUsed, txCount: 0, receiptCount: 0 };
  return { shard, slot, header, outbound: new Float64Array(0), metrics, exec: packExecStats(stats) };
}

/** What a row's aggregation makes of `values` (block order) weighted by `gas`, computed apart from SlotTotals. */
function expected(f: MetricField, values: readonly number[], gas: readonly number[]): number {
  const totalGas = gas.reduce((a, b) => a + b, 0);
  switch (f.over) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : (f.empty ?? 0);
    case 'gasMean':
      return totalGas > 0 ? values.reduce((a, b, i) => a + b * gas[i]!, 0) / totalGas : (f.empty ?? 0);
    case 'max':
      return values.length > 0 ? Math.max(...values) : (f.empty ?? 0);
  }
}

type Wire = (reports: SlotReport[]) => SlotReport[];
const WIRES: ReadonlyArray<readonly [string, Wire]> = [
  ['in memory', (rs) => rs],
  ['over the thread wire', (rs) => decodeReports(encodeReports(rs), rs.length)],
  ['over the Redis job JSON', (rs) => rs.map((r) => decodeReport(JSON.parse(JSON.stringify(encodeReport(r))) as WireReport))],
];

describe('run totals of every figure', () => {
  for (const [how, wire] of WIRES) {
    it(`totals each protocol and executor figure by its aggregation, ${how}`, () => {
      const sent: SlotReport[] = [];
      const totals = new SlotTotals(SHARDS, GAS_PER_SECOND);
      for (let slot = 0; slot < SLOTS; slot++) {
        const reports = Array.from({ length: SHARDS }, (_, shard) => reportOf(shard, slot));
        sent.push(...reports);
        for (const r of wire(reports)) totals.add(r);
      }
      const gas = sent.map((r) => r.metrics.gasUsed);
      expect(totals.blocks).toBe(SHARDS * SLOTS);
      expect(totals.gas).toBe(gas.reduce((a, b) => a + b, 0));
      for (const f of SLOT_METRICS) {
        expect(totals.total(f.name), f.name).toBe(
          expected(
            f,
            sent.map((r) => r.metrics[f.name]),
            gas,
          ),
        );
        for (let shard = 0; shard < SHARDS; shard++) {
          const own = sent.filter((r) => r.shard === shard).map((r) => r.metrics[f.name]);
          expect(totals.ofShard(shard, f.name), `${f.name} of shard ${shard}`).toBe(own.reduce((a, b) => a + b, 0));
        }
      }
      const figures = totals.execFigures();
      EXEC_STATS.forEach((f: ExecStatField, k) => {
        expect(execFigureOf(figures, f), f.name).toBe(
          expected(
            f,
            sent.map((r) => r.exec[k]!),
            gas,
          ),
        );
      });
    });
  }

  it("falls back to each row's empty value over a window without blocks", () => {
    const figures = new SlotTotals(1, GAS_PER_SECOND).execFigures();
    for (const f of EXEC_STATS as readonly ExecStatField[]) expect(execFigureOf(figures, f)).toBe(f.over === 'sum' ? 0 : (f.empty ?? 0));
  });
});

describe('executor figures in the results', () => {
  const figures = layOutExecFigures((k) => k + 1);
  const execution = { executor: 'block-stm', threads: 4, speedup: 2, makespan: 0.5, ...figures };

  it('packs a block per the table', () => {
    const stats = Object.fromEntries(EXEC_STATS.map((f, k) => [f.name, k * 1.5])) as ReportedExecStats;
    expect(Array.from(packExecStats(stats))).toEqual(EXEC_STATS.map((_, k) => k * 1.5));
    expect(EXEC_STAT_NUMS).toBe(EXEC_STATS.length);
  });

  it('has a schema entry for every row, and no more', () => {
    expect(RunResultSchema.shape.execution.parse(execution)).toEqual(execution);
    for (const f of EXEC_STATS as readonly ExecStatField[]) {
      const [head, leaf] = (f.result ?? f.name).split('.') as [string, string | undefined];
      const without: Record<string, unknown> = { ...execution };
      if (leaf === undefined) delete without[head];
      else without[head] = Object.fromEntries(Object.entries(without[head] as object).filter(([key]) => key !== leaf));
      expect(RunResultSchema.shape.execution.safeParse(without).success, f.name).toBe(false);
    }
    expect(RunResultSchema.shape.execution.safeParse({ ...execution, extra: 1 }).success).toBe(false);
  });

  it('gives runs.csv a column for every row', () => {
    const run = {
      shards: 1,
      params: {},
      latency: {},
      transactions: {},
      receipts: {},
      utilisation: {},
      security: {},
      execution,
      digest: 'd',
      wall: { seconds: 1, simulatedTxPerWallSecond: 1 },
    } as unknown as RunResult;
    const [head, row] = toCsv({ runs: [run] } as unknown as SweepResults).split('\r\n');
    const header = head!.split(',');
    const cells = row!.split(',');
    for (const f of EXEC_STATS as readonly ExecStatField[]) {
      expect(header, f.name).toContain(execColumnName(f));
      expect(cells[header.indexOf(execColumnName(f))], f.name).toBe(String(execFigureOf(figures, f)));
    }
  });
});
