/**
 * The report page's drawing script. It reads the JSON the page embeds (the
 * shapes in page-data.ts) and draws, with the inlined Plotly, the study's
 * small multiples and the charts by shard count.
 *
 * Classic scripts, not modules (tsconfig.client.json compiles them with
 * moduleDetection "legacy" and imports types only through import() types),
 * so the build's outputs are inlined into the page as they are, one after the
 * other (page.ts CLIENT_FILES): chart-values.ts (shared helpers),
 * draw-study.ts, draw-shard-charts.ts, draw-sections.ts and this entry. The
 * page calls drawShardsimReport with what it shares with the rest of the
 * report (page-data.ts PageConstants: the palette, the goal, which charts the
 * sweep calls for).
 */

type AxisValue = import('../shared.js').AxisValue;
type JsonNumber = import('../page-data.js').JsonNumber;
type PageConstants = import('../page-data.js').PageConstants;
type PageData = import('../page-data.js').PageData;
type PagePointOf = import('../page-data.js').PagePointOf;
type PagePoint = import('../page-data.js').PagePoint;
type PageRun = import('../page-data.js').PageRun;
type PageStudy = import('../page-data.js').PageStudy;
type StudyLine = import('../page-data.js').StudyLine;
type StudyPanel = import('../page-data.js').StudyPanel;
type StudyQuantity = import('../page-data.js').StudyQuantity;

/** A layout change; null removes a default (the box chart has no legend to place). */
type LayoutPatch = { readonly [K in keyof PlotLayout]?: PlotLayout[K] | null };

/** Draws every chart of the page; the page calls it once, after Plotly has loaded. */
function drawShardsimReport(constants: PageConstants): void {
  // The charts by shard count and the study first (in page order they lead), the scenario's sections after.
  try {
    drawMain(constants);
  } finally {
    drawShardsimSections();
  }
}

function drawMain(constants: PageConstants): void {
  const data = embeddedJson<PageData>('shardsim-data');
  if (data === null) return;
  // Each run with its point's statistics over seeds (page.ts matched them: shardsim-point-of).
  const points = data.points ?? [];
  const pointOf = embeddedJson<PagePointOf>('shardsim-point-of') ?? [];
  const entries: Entry[] = data.runs.map((run, i) => ({ run, stats: points[pointOf[i] ?? -1] ?? null })).sort((a, b) => a.run.shards - b.run.shards);
  if (entries.length === 0 || typeof Plotly === 'undefined') return;
  const study = embeddedJson<PageStudy>('shardsim-study');
  if (study) drawStudy(study);
  if (study && !study.shardCharts) return;
  drawShardCharts(entries, study, constants, (data.seeds?.length ?? 1) > 1);
}
