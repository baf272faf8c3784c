/**
 * Small helpers the report's drawing scripts share (a classic script, like
 * draw.ts: its functions are globals of the page, declared once here).
 */

/** The JSON of one of the page's `<script type="application/json">` elements, or null. */
function embeddedJson<T>(id: string): T | null {
  const el = document.getElementById(id);
  return el === null ? null : (JSON.parse(el.textContent ?? 'null') as T);
}

function num(v: JsonNumber | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

// Log axes cannot show zero; a zero probability is left as a gap.
function positive(v: JsonNumber): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/** A figure of a run by its path ("latency.p99"), as point-stats.ts names it. */
function figureOf(run: PageRun, path: string): number | null {
  let v: unknown = run;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function scaled(v: number | null, k: number): number | null {
  return v === null ? null : v * k;
}

/** `#2f6fdb` at the given opacity, for a band's fill. */
function translucent(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})` : hex;
}

/** Seconds for a hover: three significant figures, one decimal from 10 s. */
function secondsText(v: number): string {
  return v >= 10 ? v.toFixed(1) : v.toPrecision(3);
}

function tpsText(v: number | null): string {
  return v === null ? '–' : Math.round(v).toLocaleString('en-US');
}

/**
 * A value axis scaled to its data: logarithmic when every value is positive
 * and they span more than two decades, else linear from 0 (a log axis would
 * drop a zero, and the page draws every point).
 */
function valueAxis(title: string, values: readonly (number | null)[], extra: Partial<PlotAxis> = {}): PlotAxis {
  const fin = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const max = Math.max(0, ...fin);
  const min = Math.min(...fin);
  if (fin.length > 0 && min > 0 && max / min > 100) {
    return Object.assign({ title: { text: title }, type: 'log', range: [Math.log10(min) - 0.15, Math.log10(max) + 0.15], zeroline: false }, extra);
  }
  return Object.assign({ title: { text: title }, type: 'linear', range: [0, max > 0 ? max * 1.1 : 1], zeroline: false }, extra);
}

/** Aborted incarnations per executed item (transaction or receipt) of a run's window: summary-table.ts abortRate, in the page. */
function abortsPerItem(run: PageRun): number | null {
  const items = run.perShard.reduce((sum, p) => sum + (p.txIncluded ?? 0) + (p.receiptsApplied ?? 0), 0);
  const aborts = num(run.execution.aborts);
  return items > 0 && aborts !== null ? aborts / items : null;
}

/** The mean of the values that exist, or null. */
function meanOf(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
}
