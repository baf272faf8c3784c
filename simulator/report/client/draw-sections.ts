/** The scenario sections' charts, drawn from the figures sections.ts computed. A classic script, like draw.ts. */

type SectionsData = import('../section-data.js').SectionsData;

/**
 * Draws the scenario sections' charts (sections.ts): their figures come whole
 * in the page's `shardsim-sections` JSON element, one per chart div, so this
 * only hands each to Plotly.
 */
function drawShardsimSections(): void {
  if (typeof document === 'undefined' || typeof Plotly === 'undefined') return;
  const el = document.getElementById('shardsim-sections');
  if (el === null) return;
  const data = JSON.parse(el.textContent ?? 'null') as SectionsData | null;
  if (data === null) return;
  const config: PlotConfig = { responsive: true, displaylogo: false };
  for (const chart of data.charts) Plotly.newPlot(chart.id, chart.data, chart.layout, config);
}
