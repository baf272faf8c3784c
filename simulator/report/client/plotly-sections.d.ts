/**
 * The section charts' figures are built whole in Node (sections.ts) and
 * reach Plotly as JSON: an overload of newPlot for them, merged into the
 * declaration in plotly.d.ts.
 */

interface PlotlyStatic {
  newPlot(
    id: string,
    data: ReadonlyArray<import('../section-data.js').SpecObject>,
    layout: import('../section-data.js').SpecObject,
    config: PlotConfig,
  ): unknown;
}
