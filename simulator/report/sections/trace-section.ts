/**
 * The Trace replay section: per run, the rows of the trace read, the
 * malformed rows skipped (`onBadRow: skip`) and the contract creations left
 * out. A skipped row means the run did not replay the whole history: the
 * section says so in a warning.
 */
import type { RunResult } from '../../results.js';
import { thousands } from '../shared.js';
import { escapeHtml, tableHtml } from './html.js';
import type { ReportSection, SectionContext } from './section.js';

export function traceSection(ctx: SectionContext): ReportSection | null {
  const runs = ctx.runs.filter((run) => run.trace !== null);
  if (runs.length === 0) return null;
  const skipping = runs.filter((run) => (run.trace?.skipped ?? 0) > 0);
  const configured = (ctx.results.config as { workload?: { trace?: { file?: unknown } } } | undefined)?.workload?.trace?.file;
  const file = typeof configured === 'string' ? configured : undefined;
  const generated = (run: RunResult): number => run.transactions.submitted + run.transactions.mempoolDropped;
  const replayable = (run: RunResult): number => (run.trace?.rows ?? 0) - (run.trace?.creations ?? 0);
  // A run's slots may end before its trace does: the later rows are never replayed, no error but worth saying.
  const short = runs.filter((run) => generated(run) < replayable(run));
  const first = short[0];
  const reach =
    first === undefined
      ? ''
      : ` ${short.length === runs.length ? 'Every run' : `${short.length} of ${runs.length} runs`} ended before the trace did (${ctx.labels.long(first)}: ${thousands(generated(first))} transactions from ${thousands(replayable(first))} replayable rows); the later rows fall after the slots the runs generate in.`;
  const skipped = Math.max(0, ...skipping.map((run) => run.trace?.skipped ?? 0));
  const warning =
    skipping.length === 0
      ? `<p class="verdict good">${escapeHtml(`No malformed row was skipped${file === undefined ? '' : ` in ${file}`}.${reach}`)}</p>`
      : `<p class="verdict warn">${escapeHtml(
          `${skipping.length === runs.length ? 'Every run' : `${skipping.length} of ${runs.length} runs`} skipped malformed rows (up to ${thousands(skipped)}): onBadRow is skip, so these runs replay less than the whole trace${file === undefined ? '' : ` ${file}`}. Check the file, or set onBadRow: error to have the first bad row named.${reach}`,
        )}</p>`;
  const rows = runs.map((run) => {
    const t = run.trace!;
    return {
      classes: t.skipped > 0 ? ['warn'] : [],
      cells: [
        { text: ctx.labels.long(run), classes: ['text'] },
        thousands(t.rows),
        { text: thousands(t.skipped), classes: t.skipped > 0 ? ['bad'] : [] },
        thousands(t.creations),
        thousands(generated(run)),
      ],
    };
  });
  return {
    id: 'trace-replay',
    charts: [],
    html: `<section id="trace-replay" class="scenario">
<h2>Trace replay</h2>
${warning}
${tableHtml([{ text: 'run', classes: ['text'] }, 'rows read', 'malformed rows skipped', 'contract creations left out', 'transactions generated'], rows)}
<p class="caption">Rows read: the trace's well-formed rows taken for the replay (up to trace.maxRows), contract creations included. Malformed rows skipped: rows that could not be read, dropped because the scenario sets onBadRow: skip. Contract creations left out: rows deploying a contract, replayed as nothing (no account to call yet). Transactions generated: what the run made of the other rows in the slots it lasted (mempool drops included).</p>
</section>`,
  };
}
