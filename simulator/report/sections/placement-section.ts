/**
 * The Re-placement section (accounts.repartition; docs/workloads.md,
 * "Re-placement"): shown when a run moved accounts. Per run, what moved and
 * what it cost, and the cross-shard share of each slot's offered
 * transactions over the run, with every re-placement marked: whether moving
 * accounts paid off, and how fast.
 */
import type { RunResult } from '../../results.js';
import type { SectionChart, SpecObject } from '../section-data.js';
import { fixed, thousands } from '../shared.js';
import { cell, figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const PLACEMENT_CHART_ID = 'section-placement';

function chart(runs: readonly RunResult[], label: (run: RunResult) => string): SectionChart {
  const data: SpecObject[] = runs.map((r) => {
    const series = r.placement!.crossShardBySlot;
    return {
      type: 'scatter',
      mode: 'lines',
      name: label(r),
      x: series.map((_, slot) => slot),
      y: series.map((v) => v * 100),
      hovertemplate: `${label(r)}<br>slot %{x}: %{y:.1f}% cross-shard<extra></extra>`,
    };
  });
  // Every run's re-placement slots, marked once each.
  const slots = [...new Set(runs.flatMap((r) => r.placement!.epochs.map((e) => e.slot)))].sort((a, b) => a - b);
  return {
    id: PLACEMENT_CHART_ID,
    data,
    layout: {
      ...baseLayout(),
      xaxis: { title: { text: 'slot (warmup and window)' }, rangemode: 'tozero' },
      // The share is drawn on its whole range: a cut axis would make a small drop look like a collapse.
      yaxis: { title: { text: 'offered transactions crossing shards' }, range: [0, 100], ticksuffix: '%' },
      shapes: slots.map((x) => ({ type: 'line', x0: x, x1: x, yref: 'paper', y0: 0, y1: 1, line: { color: '#9aa3b2', width: 1, dash: 'dot' } })),
    },
  };
}

export function placementSection(ctx: SectionContext): ReportSection | null {
  const runs = ctx.runs.filter((r) => r.placement !== undefined);
  if (runs.length === 0) return null;
  const head = [
    cell('run', 'text'),
    're-placements',
    'accounts moved',
    'arrived',
    'refused at the old shard',
    'waited for their state',
    'state bytes',
    'cross %',
  ];
  const rows = runs.map((r) => {
    const p = r.placement!;
    return {
      cells: [
        cell(ctx.labels.long(r), 'text'),
        thousands(p.epochs.length),
        thousands(p.accountsMoved),
        thousands(p.accountsArrived),
        thousands(p.movedRefused),
        thousands(p.waitedForState),
        thousands(p.stateBytes),
        fixed(r.crossShardRatio * 100, 1),
      ],
    };
  });
  const caption =
    'Of each slot’s offered transactions, the share whose receiver lived on another shard when it was offered, one line per run; dotted lines mark the re-placements.';
  return {
    id: 'placement',
    charts: [chart(runs, ctx.labels.short)],
    html: `<section id="placement" class="scenario">
<h2>Re-placement</h2>
<p class="note">Accounts moved every few slots to where their recent transactions pull them (accounts.repartition). A moving account’s state travels as a proven receipt; transactions sent to its new shard meanwhile wait for it, and those still queued at its old shard are refused (docs/workloads.md, “Re-placement”).</p>
${tableHtml(head, rows)}
${figureHtml(PLACEMENT_CHART_ID, caption)}
</section>`,
  };
}
