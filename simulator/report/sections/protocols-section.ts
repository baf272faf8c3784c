/**
 * The Cross-shard protocols section (docs/protocols.md): shown when a run
 * used a protocol other than `receipts`. Per run, what committed and what
 * failed (a protocol that aborts sheds load, so throughput alone flatters
 * it), latency, and what the protocol cost: messages and bytes a cross-shard
 * transaction, lock aborts and hold times, dry brokers.
 */
import type { RunResult } from '../../results.js';
import type { SectionChart } from '../section-data.js';
import { fixed, thousands } from '../shared.js';
import { cell, figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const PROTOCOLS_CHART_ID = 'section-protocols';

const COMMITTED = '#2a9d6f';
const FAILED = '#d9544f';

function chart(runs: readonly RunResult[], series: (run: RunResult) => string): SectionChart {
  // Grouped by shard count, one bar per protocol (and other axis values) inside: the protocols side by side.
  const x = [runs.map((r) => `${r.shards} shard${r.shards === 1 ? '' : 's'}`), runs.map((r) => series(r) || r.crossShard!.protocol)];
  const committed = runs.map((r) => r.crossShard!.committedTps);
  const failed = runs.map((r) => Math.max(0, r.throughputTps - r.crossShard!.committedTps));
  return {
    id: PROTOCOLS_CHART_ID,
    data: [
      {
        type: 'bar',
        name: 'committed',
        x,
        y: committed,
        marker: { color: COMMITTED },
        hovertemplate: '%{x}<br>committed: %{y:,.1f} tx/s<extra></extra>',
      },
      {
        type: 'bar',
        name: 'failed (aborts, refunds, failed calls)',
        x,
        y: failed,
        marker: { color: FAILED },
        hovertemplate: '%{x}<br>failed: %{y:,.1f} tx/s<extra></extra>',
      },
    ],
    layout: {
      ...baseLayout(),
      barmode: 'stack',
      bargap: 0.2,
      xaxis: { type: 'multicategory', automargin: true },
      // Bars measure from zero: a cut axis would exaggerate the differences between protocols.
      yaxis: { title: { text: 'completed in the window, tx per simulated second' }, rangemode: 'tozero' },
      legend: { orientation: 'h', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom', traceorder: 'normal' },
    },
  };
}

const dash = '–';

export function protocolsSection(ctx: SectionContext): ReportSection | null {
  const runs = ctx.runs.filter((r) => r.crossShard !== undefined);
  if (!runs.some((r) => r.crossShard!.protocol !== 'receipts')) return null;
  const findMax = runs.some((r) => r.findMax !== undefined);
  // A swept protocol is already in the run's name.
  const named = ctx.axes.some((axis) => axis.key === 'crossShard.protocol');
  const head = [
    cell('run', 'text'),
    ...(named ? [] : [cell('protocol', 'text')]),
    ...(findMax ? ['max sustained TPS'] : []),
    'throughput TPS',
    'committed TPS',
    'failed %',
    'p50 s',
    'p99 s',
    'messages / cross tx',
    'bytes / cross tx',
    'lock aborts',
    'lock held, slots',
    'broker dry',
  ];
  const rows = runs.map((r) => {
    const x = r.crossShard!;
    return {
      cells: [
        cell(ctx.labels.long(r), 'text'),
        ...(named ? [] : [cell(x.protocol, 'text')]),
        ...(findMax ? [r.findMax === undefined ? dash : thousands(r.findMax.maxSustainableTps)] : []),
        thousands(r.throughputTps),
        thousands(x.committedTps),
        fixed(x.failedShare * 100, 1),
        fixed(r.latency.p50, 2),
        fixed(r.latency.p99, 2),
        fixed(x.messagesPerCrossTx, 2),
        thousands(x.bytesPerCrossTx),
        x.protocol === 'lock-2pc' ? thousands(x.locks.aborts) : dash,
        x.locks.meanHeldSlots === null ? dash : fixed(x.locks.meanHeldSlots, 1),
        x.broker === null ? dash : thousands(x.broker.dry),
      ],
    };
  });
  const caption = `Completions of the measured window per simulated second, split into those that committed and those that failed (a lock-2pc abort, a refund, a failed call); grouped by shard count, one bar per protocol${findMax ? ', each the run at its maximum sustained rate' : ''}.`;
  return {
    id: 'protocols',
    charts: [chart(runs, ctx.labels.series)],
    html: `<section id="protocols" class="scenario">
<h2>Cross-shard protocols</h2>
<p class="note">Each run's protocol, what it committed and what failed, and what it cost. A protocol that aborts sheds load: its throughput${findMax ? ' and maximum sustained rate count' : ' counts'} failures as served, so compare committed TPS. Messages and bytes are per transaction a block sent on to another shard, proofs included; lock aborts and broker dry attempts count the whole run (docs/protocols.md).</p>
${tableHtml(head, rows)}
${figureHtml(PROTOCOLS_CHART_ID, caption)}
</section>`,
  };
}
