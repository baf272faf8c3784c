/**
 * The Faults section: for every run with injected faults, the batches the
 * Byzantine shards forged (by kind) against what the honest inboxes caught
 * (rejections by reason, replays dropped as duplicates), reconciled
 * (fault-reconciliation.ts) into a verdict, a table per run and a chart of
 * forged beside caught.
 */
import type { RunResult } from '../../results.js';
import type { SectionChart, SpecObject } from '../section-data.js';
import { thousands } from '../shared.js';
import { duplicateRatioOf, type FaultReconciliation, faultVerdict, OUTCOMES, type Outcome, reconcileFaults } from './fault-reconciliation.js';
import { escapeHtml, figureHtml, tableHtml } from './html.js';
import { baseLayout, type ReportSection, type SectionContext } from './section.js';

export const FAULTS_CHART_ID = 'section-faults';

const KIND_COLOURS: Readonly<Record<string, string>> = {
  inflate: '#2f6fdb',
  absent: '#3bb5c9',
  'bad-header': '#9a5bd3',
  unfinalized: '#e69b2e',
  replay: '#2a9d6f',
};
const OUTCOME_COLOURS: Readonly<Record<string, string>> = { 'bad-proof': '#c62f3a', 'not-committed': '#c75a9b', duplicate: '#5f8f7c' };
const OUTCOME_NAMES: Readonly<Record<Outcome, string>> = {
  'bad-proof': 'rejected: bad-proof',
  'not-committed': 'rejected: not-committed',
  duplicate: 'replays dropped as duplicates',
};

interface FaultyRun {
  readonly run: RunResult;
  readonly faults: NonNullable<RunResult['faults']>;
  readonly rec: FaultReconciliation;
}

const pct = (x: number): string => `${+(x * 100).toFixed(2)}%`;

/** Where the duplicates dropped came from, in words: the replays and the plan's own copies. */
function duplicatesLine(rec: FaultReconciliation): string {
  if (rec.duplicates === 0) return 'No duplicate was dropped.';
  const ratio = rec.duplicateRatio === undefined ? '' : ` (duplicateRatio ${pct(rec.duplicateRatio)})`;
  if (rec.otherDuplicates === 0) return `Duplicates dropped: ${thousands(rec.duplicates)}, every one a replay.`;
  return `Duplicates dropped: ${thousands(rec.duplicates)}, ${thousands(rec.replaysDropped)} of them replays and ${thousands(rec.otherDuplicates)} batches the fault plan delivered twice${ratio}; results.json counts both in faults.duplicateBatches.`;
}

function caughtText(caught: FaultReconciliation['rows'][number]['caught']): string {
  const parts = OUTCOMES.filter((o) => (caught[o] ?? 0) > 0).map((o) => `${thousands(caught[o] ?? 0)} ${o === 'duplicate' ? 'duplicates' : o}`);
  return parts.length > 0 ? parts.join(', ') : '0';
}

/** One run's table: each kind, what it must end as, what the counts attribute to it. */
function runTable(f: FaultyRun): string {
  const rows: string[] = [];
  for (const row of f.rec.rows) {
    const span = row.kinds.length > 1 ? ` rowspan="${row.kinds.length}"` : '';
    const bad = row.difference !== 0 ? ' bad' : '';
    row.kinds.forEach((k, i) => {
      const cells = [`<td class="text"><code>${escapeHtml(k.kind)}</code></td>`, `<td>${thousands(k.forged)}</td>`];
      if (i === 0) {
        cells.push(
          `<td class="text wrap"${span}>${escapeHtml(row.expected)}</td>`,
          `<td class="text"${span}>${escapeHtml(caughtText(row.caught))}</td>`,
          `<td class="${bad.trim()}"${span}>${thousands(row.difference)}</td>`,
        );
      }
      rows.push(`<tr${i === 0 ? ' class="group"' : ''}>${cells.join('')}</tr>`);
    });
  }
  const unexplained = Object.entries(f.rec.unexplained);
  for (const [reason, n] of unexplained) {
    rows.push(
      `<tr class="group"><td class="text">(none)</td><td>0</td><td class="text wrap">no forgery ends as ${escapeHtml(reason)}</td><td class="text">${thousands(n)} ${escapeHtml(reason)}</td><td class="bad">${thousands(-n)}</td></tr>`,
    );
  }
  // Forgeries missed and rejections unexplained do not cancel out: the total is the forgeries' alone.
  const foot = `<tr class="total"><td class="text">total</td><td>${thousands(f.rec.forged)}</td><td></td><td class="text">${thousands(f.rec.caught)}</td><td class="${f.rec.missing !== 0 ? 'bad' : ''}">${thousands(f.rec.missing)}</td></tr>`;
  const reasons = Object.entries(f.rec.rejectedByReason)
    .filter(([, n]) => n > 0)
    .map(([r, n]) => `${r} ${thousands(n)}`)
    .join(', ');
  return `<div class="table-wrap"><table class="reconcile">
<thead><tr><th class="text">forgery kind</th><th>forged</th><th class="text">must end as</th><th class="text">caught as (attributed)</th><th>difference</th></tr></thead>
<tbody>${rows.join('\n')}</tbody>
<tfoot>${foot}</tfoot>
</table></div>
<p class="caption">Counted by the honest inboxes: rejected ${escapeHtml(reasons || 'none')}${reasons ? ' (no other reason)' : ''}. ${escapeHtml(duplicatesLine(f.rec))}${f.faults.silentSlots > 0 ? ` Silent slots: ${thousands(f.faults.silentSlots)}.` : ''}</p>`;
}

/** Forged (stacked by kind) beside caught (stacked by outcome), one pair of bars per run. */
function chart(faulty: readonly FaultyRun[], label: (run: RunResult) => string): SectionChart {
  const outer: string[] = [];
  const inner: string[] = [];
  for (const f of faulty) {
    outer.push(label(f.run), label(f.run));
    inner.push('forged', 'caught');
  }
  const x = [outer, inner];
  const data: SpecObject[] = [];
  const kinds = [...new Set(faulty.flatMap((f) => Object.keys(f.rec.forgedByKind)))].filter((k) => faulty.some((f) => (f.rec.forgedByKind[k] ?? 0) > 0));
  const hover = '%{x}<br>%{fullData.name}: %{y:,}<extra></extra>';
  for (const kind of kinds) {
    data.push({
      type: 'bar',
      name: `forged: ${kind}`,
      legendgroup: 'forged',
      x,
      y: faulty.flatMap((f) => [f.rec.forgedByKind[kind] ?? 0, null]),
      marker: { color: KIND_COLOURS[kind] ?? '#7a7f8c' },
      hovertemplate: hover,
    });
  }
  const caughtOf = (f: FaultyRun, o: Outcome): number => f.rec.rows.reduce((a, r) => a + (r.caught[o] ?? 0), 0);
  for (const o of OUTCOMES) {
    if (!faulty.some((f) => caughtOf(f, o) > 0)) continue;
    data.push({
      type: 'bar',
      name: OUTCOME_NAMES[o],
      legendgroup: 'caught',
      x,
      y: faulty.flatMap((f) => [null, caughtOf(f, o)]),
      marker: { color: OUTCOME_COLOURS[o] ?? '#7a7f8c' },
      hovertemplate: hover,
    });
  }
  const reasons = [...new Set(faulty.flatMap((f) => Object.keys(f.rec.unexplained)))];
  for (const reason of reasons) {
    data.push({
      type: 'bar',
      name: `rejected, no forgery explains: ${reason}`,
      legendgroup: 'unexplained',
      x,
      y: faulty.flatMap((f) => [null, f.rec.unexplained[reason] ?? 0]),
      marker: { color: '#1d2330' },
      hovertemplate: hover,
    });
  }
  return {
    id: FAULTS_CHART_ID,
    data,
    layout: {
      ...baseLayout(),
      barmode: 'stack',
      bargap: 0.25,
      xaxis: { type: 'multicategory', automargin: true },
      yaxis: { title: { text: 'batches' }, rangemode: 'tozero' },
    },
  };
}

export function faultsSection(ctx: SectionContext): ReportSection | null {
  const faulty: FaultyRun[] = [];
  for (const run of ctx.runs) {
    if (run.faults === null) continue;
    faulty.push({ run, faults: run.faults, rec: reconcileFaults(run.faults, duplicateRatioOf(run, ctx.results.config)) });
  }
  if (faulty.length === 0) return null;
  const bad = faulty.filter((f) => !f.rec.ok);
  const forged = faulty.reduce((a, f) => a + f.rec.forged, 0);
  const anyForgery = faulty.some((f) => f.rec.forged > 0 || f.rec.rejected > 0);
  let verdict: string;
  if (faulty.length === 1) verdict = faultVerdict(faulty[0]!.rec);
  else if (bad.length === 0) {
    const rejected = faulty.reduce((a, f) => a + f.rec.rejectedAsExpected, 0);
    const replays = faulty.reduce((a, f) => a + f.rec.replaysDropped, 0);
    verdict =
      forged === 0
        ? `No batch was forged in any of the ${faulty.length} runs, and none was rejected.`
        : `Every run reconciles: all ${thousands(forged)} forged batches of the ${faulty.length} runs were caught: ${thousands(rejected)} rejected${replays > 0 ? `, ${thousands(replays)} replays dropped as duplicates` : ''}.`;
  } else verdict = `Discrepancy in ${bad.length} of ${faulty.length} runs (${bad.map((f) => ctx.labels.long(f.run)).join('; ')}): see the tables below.`;

  const overview = tableHtml(
    [
      { text: 'run', classes: ['text'] },
      'forged',
      'rejected',
      'replays dropped',
      'caught',
      'difference',
      'plan duplicates',
      'silent slots',
      { text: 'verdict', classes: ['text'] },
    ],
    faulty.map((f) => ({
      classes: f.rec.ok ? [] : ['warn'],
      cells: [
        { text: ctx.labels.long(f.run), classes: ['text'] },
        thousands(f.rec.forged),
        thousands(f.rec.rejected),
        thousands(f.rec.replaysDropped),
        thousands(f.rec.caught),
        { text: thousands(f.rec.missing), classes: f.rec.missing !== 0 ? ['bad'] : [] },
        thousands(f.rec.otherDuplicates),
        thousands(f.faults.silentSlots),
        {
          text: f.rec.ok ? 'reconciles' : `${f.rec.problems.length} problem${f.rec.problems.length === 1 ? '' : 's'}`,
          classes: ['text', f.rec.ok ? 'good' : 'bad'],
        },
      ],
    })),
  );
  // Every run's table is there; a reader opens the ones of interest (the first and any that do not reconcile open by default).
  const details = faulty
    .map((f, i) => {
      const open = i === 0 || !f.rec.ok || faulty.length <= 2 ? ' open' : '';
      return `<details${open}><summary><b>${escapeHtml(ctx.labels.long(f.run))}</b>: ${escapeHtml(faultVerdict(f.rec))}</summary>\n${runTable(f)}\n</details>`;
    })
    .join('\n');
  const charts = anyForgery ? [chart(faulty, ctx.labels.short)] : [];
  const figure = anyForgery
    ? figureHtml(
        FAULTS_CHART_ID,
        `Per run, batches forged by the Byzantine shards (left bar, by kind) beside the forgeries the honest inboxes caught (right bar: rejections by reason in reds, replays dropped as duplicates in grey-green, attributed as in the tables). Equal heights: every forgery caught.${
          faulty.some((f) => f.rec.unexplainedTotal > 0) ? ' Black: rejections no forgery explains.' : ''
        }`,
      )
    : '';
  return {
    id: 'faults',
    charts,
    html: `<section id="faults" class="scenario">
<h2>Faults</h2>
<p class="verdict ${bad.length === 0 ? 'good' : 'warn'}">${escapeHtml(verdict)}</p>
<p class="note">Every batch a Byzantine shard forges must be caught by its honest destination: rejected (faults.rejectedBatchesByReason) or, for a replay of a valid batch, dropped as a duplicate (faults.duplicateBatches). The inboxes count by reason, not by kind, so each kind's share is attributed: the split the counts allow, given where each kind must end (crosslink/inbox.ts). A difference other than 0 is a forgery no count accounts for (positive) or a rejection no forgery explains (negative).</p>
${overview}
${figure}
${details}
</section>`,
  };
}
