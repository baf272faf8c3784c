/** What every scenario section is built from, and what it gives back. */
import type { RunResult, SweepResults } from '../../results.js';
import type { SweepAxis } from '../../summary-table.js';
import type { SectionChart, SpecValue } from '../section-data.js';
import type { RunLabels } from './run-labels.js';

export interface SectionContext {
  readonly results: SweepResults;
  /** In sweep order (summary-table.ts sortRuns). */
  readonly runs: readonly RunResult[];
  readonly axes: readonly SweepAxis[];
  readonly labels: RunLabels;
}

export interface ReportSection {
  /** The <section> element's id: `protocols`, `network`, `faults`, `outcomes`, `by-kind`, `load-balance`, `placement`, `trace-replay`. */
  readonly id: string;
  readonly html: string;
  /** Chart ids are `section-<name>`; each has its div in `html`. */
  readonly charts: readonly SectionChart[];
}

/** The layout every section chart starts from (white, the page's font size, legend below). */
export function baseLayout(): { [key: string]: SpecValue } {
  return {
    margin: { l: 70, r: 30, t: 30, b: 90 },
    legend: { orientation: 'h', y: -0.2 },
    hovermode: 'closest',
    paper_bgcolor: '#fff',
    plot_bgcolor: '#fff',
    font: { size: 12 },
  };
}
