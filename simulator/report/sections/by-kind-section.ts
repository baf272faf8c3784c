/**
 * The By workload kind section: for a mix of kinds (mixed-dapps.yaml), what
 * became of each kind's transactions of the measured window, run by run:
 * completed ok, failed, unfinished. Reads RunResult.byKind, which results
 * from older versions lack: then the section is not shown.
 */
import type { KindFigures, RunResult } from '../../results.js';
import type { SectionChart } from '../section-data.js';
import { thousands } from '../shared.js';
import { figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const BY_KIND_CHART_ID = 'section-by-kind';

export type { KindFigures };

/** A run's figures by kind; undefined for hand-made results without them. */
export function byKindOf(run: RunResult): Readonly<Record<string, KindFigures>> | undefined {
  const value: unknown = run.byKind;
  return value !== undefined && value !== null && typeof value === 'object' ? run.byKind : undefined;
}

/** The disjoint parts of a kind's offered transactions; they sum to offered. */
export function kindSegments(f: KindFigures): { readonly ok: number; readonly failed: number; readonly unfinished: number } {
  return { ok: f.completed - f.failed, failed: f.failed, unfinished: f.offered - f.completed };
}

const PARTS = [
  ['ok', 'completed ok', '#2a9d6f'],
  ['failed', 'failed', '#d9544f'],
  ['unfinished', 'unfinished at the end', '#9aa3b2'],
] as const;

function chart(runs: readonly RunResult[], kinds: readonly string[], label: (run: RunResult) => string): SectionChart {
  // Grouped by kind, one bar per run inside each group: how each kind fares as the shard count grows.
  const outer: string[] = [];
  const inner: string[] = [];
  const cells: Array<{ readonly kind: string; readonly f: KindFigures | undefined }> = [];
  for (const kind of kinds) {
    for (const run of runs) {
      outer.push(kind);
      inner.push(label(run));
      cells.push({ kind, f: byKindOf(run)?.[kind] });
    }
  }
  return {
    id: BY_KIND_CHART_ID,
    data: PARTS.map(([key, name, colour]) => ({
      type: 'bar',
      name,
      x: [outer, inner],
      y: cells.map((c) => (c.f === undefined || c.f.offered === 0 ? null : (kindSegments(c.f)[key] / c.f.offered) * 100)),
      customdata: cells.map((c) => (c.f === undefined ? null : kindSegments(c.f)[key])),
      marker: { color: colour },
      hovertemplate: `%{x}<br>${name}: %{customdata:,} (%{y:.1f}% of offered)<extra></extra>`,
    })),
    layout: {
      ...baseLayout(),
      barmode: 'stack',
      bargap: 0.15,
      xaxis: { type: 'multicategory', automargin: true, tickangle: -90 },
      // Above the plot: the run labels under it are long and rotated, and a legend below would cover the kinds' names.
      legend: { orientation: 'h', x: 0, y: 1.02, xanchor: 'left', yanchor: 'bottom', traceorder: 'normal' },
      yaxis: { title: { text: '% of the kind offered in the window' }, range: [0, 100], ticksuffix: '%' },
    },
  };
}

export function byKindSection(ctx: SectionContext): ReportSection | null {
  const runs = ctx.runs.filter((run) => byKindOf(run) !== undefined);
  const kinds = [...new Set(runs.flatMap((run) => Object.keys(byKindOf(run) ?? {})))].sort();
  // One kind is the whole workload: the Refunds and failures section already says it all.
  if (kinds.length < 2) return null;
  const head = [{ text: 'kind', classes: ['text'] }, ...runs.map((run) => ctx.labels.short(run))];
  const rows = kinds.map((kind) => ({
    cells: [
      { text: kind, classes: ['text'] },
      ...runs.map((run) => {
        const f = byKindOf(run)?.[kind];
        if (f === undefined || f.offered === 0) return '–';
        const s = kindSegments(f);
        return `${((s.ok / f.offered) * 100).toFixed(1)}% ok · ${((s.failed / f.offered) * 100).toFixed(1)}% failed of ${thousands(f.offered)}`;
      }),
    ],
  }));
  const caption =
    'Each kind of the mix, one bar per run: the transactions of that kind offered in the measured window, as shares of them (hover for the counts), split into completed ok, failed (completed as a failure), and unfinished (offered minus completed: pending, in flight or dropped when the run ended). A kind is the transfer, or the kind of the contract called.';
  return {
    id: 'by-kind',
    charts: [chart(runs, kinds, ctx.labels.short)],
    html: `<section id="by-kind" class="scenario">
<h2>By workload kind</h2>
<p class="note">Per kind and run: the share of the window's transactions of that kind completed ok and failed, of how many were offered.</p>
${tableHtml(head, rows)}
${figureHtml(BY_KIND_CHART_ID, caption)}
</section>`,
  };
}
