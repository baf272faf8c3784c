/**
 * The report's scenario sections: what each scenario is about, shown only
 * when its runs exercise it (an empty section is noise). Network and
 * consensus off the ideal network (agreement, bytes, finality, what binds),
 * the cross-shard protocols compared (committed against failed), faults
 * reconciled (forged against caught), refunds and failures, the
 * outcome by workload kind, load balance, re-placement over time, trace replay. Everything is computed here in Node;
 * the page gets HTML and, in one JSON element, a Plotly figure per chart div
 * (section-data.ts), which client/draw.ts draws as is.
 */
import type { SweepResults } from '../results.js';
import { sortRuns, sweepAxes } from '../summary-table.js';
import type { SectionsData } from './section-data.js';
import { blocksSection } from './sections/blocks-section.js';
import { byKindSection } from './sections/by-kind-section.js';
import { faultsSection } from './sections/faults-section.js';
import { scriptJson } from './sections/html.js';
import { loadSection } from './sections/load-section.js';
import { networkSection } from './sections/network-section.js';
import { outcomesSection } from './sections/outcomes-section.js';
import { placementSection } from './sections/placement-section.js';
import { protocolsSection } from './sections/protocols-section.js';
import { runLabels } from './sections/run-labels.js';
import type { ReportSection, SectionContext } from './sections/section.js';
import { traceSection } from './sections/trace-section.js';

export type { ReportSection } from './sections/section.js';

/** The sections the results call for, in page order. */
export function buildSections(results: SweepResults): ReportSection[] {
  const axes = sweepAxes(results);
  const ctx: SectionContext = { results, runs: sortRuns(results.runs, axes), axes, labels: runLabels(results, axes) };
  const builders = [
    protocolsSection,
    networkSection,
    faultsSection,
    outcomesSection,
    byKindSection,
    loadSection,
    placementSection,
    traceSection,
    blocksSection,
  ];
  return builders.map((build) => build(ctx)).filter((section): section is ReportSection => section !== null);
}

/** The sections' HTML, with their charts' figures as `<script type="application/json" id="shardsim-sections">`; empty when none applies. */
export function renderSections(results: SweepResults): string {
  const sections = buildSections(results);
  if (sections.length === 0) return '';
  const data: SectionsData = { charts: sections.flatMap((s) => s.charts) };
  const json = data.charts.length === 0 ? '' : `<script type="application/json" id="shardsim-sections">${scriptJson(data)}</script>\n`;
  return `${sections.map((s) => s.html).join('\n')}\n${json}`.trimEnd();
}
