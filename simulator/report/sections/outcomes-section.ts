/**
 * The Refunds and failures section: what became of every transaction the
 * runs generated (completed ok, failed, failed with its value refunded,
 * pending at the end, dropped by a full mempool), for scenarios whose point
 * is that transactions fail: frozen receivers (refunds.yaml), a capped mint
 * (nft.yaml), a vote deadline (dao.yaml), or a mempool that overflows.
 */
import type { RunResult } from '../../results.js';
import type { SectionChart } from '../section-data.js';
import { thousands } from '../shared.js';
import { escapeHtml, figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const OUTCOMES_CHART_ID = 'section-outcomes';

/** A run's transactions split into disjoint parts; they sum to every transaction generated. */
export interface OutcomeSegments {
  readonly ok: number;
  readonly failed: number;
  readonly refunded: number;
  readonly pending: number;
  readonly dropped: number;
}

export const SEGMENTS: ReadonlyArray<readonly [key: keyof OutcomeSegments, name: string, colour: string]> = [
  ['ok', 'completed ok', '#2a9d6f'],
  ['failed', 'failed, not refunded', '#d9544f'],
  ['refunded', 'failed, value refunded', '#e69b2e'],
  ['pending', 'pending at the end', '#9aa3b2'],
  ['dropped', 'dropped (mempool full)', '#1d2330'],
];

/**
 * transactions.completed counts failures too; receipts.refunds counts refund
 * receipts when emitted, so one still travelling at the end belongs to a
 * pending transaction: the refunded part is at most the failures.
 */
export function outcomeSegments(run: RunResult): OutcomeSegments {
  const t = run.transactions;
  const refunded = Math.min(run.receipts.refunds, t.completedFailed);
  return { ok: t.completed - t.completedFailed, failed: t.completedFailed - refunded, refunded, pending: t.pending, dropped: t.mempoolDropped };
}

/** Whether a run shows what this section is about. Rejected receipts of a faulty run are forgeries: the Faults section has them. */
export function hasOutcomes(run: RunResult): boolean {
  const t = run.transactions;
  return run.receipts.refunds > 0 || t.completedFailed > 0 || t.mempoolDropped > 0 || (run.receipts.rejected > 0 && run.faults === null);
}

/** What fails in this scenario's workload, from its configuration (the contracts' rules, shards/contracts/). */
function failureNotes(config: unknown): string[] {
  const c = config as { workload?: { kind?: unknown; mix?: Record<string, unknown> }; accounts?: { frozenRatio?: unknown } } | undefined;
  const kind = c?.workload?.kind;
  const kinds = new Set<string>(kind === 'mix' ? Object.keys(c?.workload?.mix ?? {}) : typeof kind === 'string' ? [kind] : []);
  const notes: string[] = [];
  const frozen = c?.accounts?.frozenRatio;
  if (typeof frozen === 'number' && frozen > 0) {
    notes.push(
      `${+(frozen * 100).toFixed(2)}% of accounts are frozen: a credit to one fails; from another shard, the receiver refuses it and a refund receipt carries the value back to the sender (so at one shard nothing is refunded).`,
    );
  }
  if (kinds.has('nft'))
    notes.push(
      "nft: a mint past its collection's cap fails (sold out), as does a transfer by someone other than the owner; a cross-shard mint's payment comes back as a refund.",
    );
  if (kinds.has('dao')) notes.push("dao: a vote after the proposal's deadline slot, or a member's second vote, fails.");
  if (kinds.has('token') || kinds.has('payments')) notes.push('token, payments: a transfer beyond the balance or the allowance fails.');
  if (kinds.has('amm')) notes.push('amm: a swap whose output falls below its minimum fails.');
  return notes;
}

/** Whether completed-ok dwarfs the rest in every run: then its bars start hidden, or the failures would be slivers. */
function okDwarfs(runs: readonly RunResult[]): boolean {
  return runs.every((run) => {
    const s = outcomeSegments(run);
    const total = s.ok + s.failed + s.refunded + s.pending + s.dropped;
    return total === 0 || s.ok / total > 0.8;
  });
}

/** Share of each run's generated transactions (so runs of different rates compare); the counts ride along for the hover. */
function chart(runs: readonly RunResult[], label: (run: RunResult) => string, hideOk: boolean): SectionChart {
  const x = runs.map(label);
  const segs = runs.map(outcomeSegments);
  const totals = segs.map((s) => s.ok + s.failed + s.refunded + s.pending + s.dropped);
  const share = (n: number, i: number): number => (totals[i]! > 0 ? (n / totals[i]!) * 100 : 0);
  return {
    id: OUTCOMES_CHART_ID,
    // Completed ok and failed always; the other parts only when some run has any (an empty legend entry is noise).
    data: SEGMENTS.filter(([key]) => key === 'ok' || key === 'failed' || segs.some((s) => s[key] > 0)).map(([key, name, colour]) => ({
      type: 'bar',
      name,
      x,
      y: segs.map((s, i) => share(s[key], i)),
      customdata: segs.map((s) => s[key]),
      marker: { color: colour },
      hovertemplate: `%{x}<br>${name}: %{customdata:,} (%{y:.2f}% of generated)<extra></extra>`,
      ...(key === 'ok' && hideOk ? { visible: 'legendonly' } : {}),
    })),
    layout: {
      ...baseLayout(),
      barmode: 'stack',
      legend: { orientation: 'h', y: -0.15, traceorder: 'normal' },
      xaxis: { type: 'category', automargin: true },
      yaxis: { title: { text: '% of the transactions generated' }, rangemode: 'tozero', ticksuffix: '%' },
    },
  };
}

export function outcomesSection(ctx: SectionContext): ReportSection | null {
  if (!ctx.runs.some(hasOutcomes)) return null;
  const runs = ctx.runs;
  const rejected = runs.some((r) => r.receipts.rejected > 0 && r.faults === null);
  // Refunds emitted differ from the refunded failures only while refunds travel at the end: a column only then.
  const inFlight = runs.some((run) => run.receipts.refunds !== outcomeSegments(run).refunded);
  const head = [
    { text: 'run', classes: ['text'] },
    'generated',
    'completed ok',
    'failed',
    'of which refunded',
    ...(inFlight ? ['refunds emitted'] : []),
    'pending',
    'dropped',
    ...(rejected ? ['receipts rejected'] : []),
  ];
  const rows = runs.map((run) => {
    const s = outcomeSegments(run);
    const t = run.transactions;
    return {
      cells: [
        { text: ctx.labels.long(run), classes: ['text'] },
        thousands(t.submitted + t.mempoolDropped),
        thousands(s.ok),
        thousands(t.completedFailed),
        thousands(s.refunded),
        ...(inFlight ? [thousands(run.receipts.refunds)] : []),
        thousands(s.pending),
        { text: thousands(s.dropped), classes: s.dropped > 0 ? ['bad'] : [] },
        ...(rejected ? [{ text: thousands(run.receipts.rejected), classes: run.receipts.rejected > 0 ? ['bad'] : [] }] : []),
      ],
    };
  });
  const notes = failureNotes(ctx.results.config);
  const rejectedNote = rejected
    ? ' Receipts rejected: receipts of batches an inbox refused (bad proof, not committed), in a run without injected faults: none should be.'
    : '';
  const hideOk = okDwarfs(runs);
  const caption = `Every transaction each run generated, over the whole run (warm-up, measured window and drain), as a share of those generated (hover for the counts): completed ok; failed (completed, as a failure); failed, value refunded (a failure whose value went back to the sender in a refund receipt: receipts.refunds counts refunds when emitted, so this part is at most the failures, and a refund still travelling at the end leaves its transaction pending); pending (in a mempool, or carried by a receipt in flight, when the run ended: not lost); dropped (refused by a full mempool: never entered). ${
    hideOk
      ? 'Completed ok, over 80% in every run, starts hidden so the rest is readable: click it in the legend to stack it back (the bars then reach 100%).'
      : 'The bars reach 100%.'
  }`;
  return {
    id: 'outcomes',
    charts: [chart(runs, ctx.labels.short, hideOk)],
    html: `<section id="outcomes" class="scenario">
<h2>Refunds and failures</h2>
${notes.length > 0 ? `<ul class="note">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>\n` : ''}${tableHtml(head, rows)}
<p class="caption">Counts over the whole run. Generated: accepted into a mempool plus dropped. Failed counts every failure, refunded or not${inFlight ? '; refunds emitted exceed the refunded failures while refunds are still in flight at the end' : ''}.${escapeHtml(rejectedNote)}</p>
${figureHtml(OUTCOMES_CHART_ID, caption)}
</section>`,
  };
}
