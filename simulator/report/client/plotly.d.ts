/**
 * The part of Plotly the report's client calls: the page inlines the
 * plotly.js-dist-min bundle, which defines the global `Plotly`. Only the
 * options the client sets are declared.
 */

type PlotValue = number | string;

interface PlotTitle {
  readonly text: string;
  readonly side?: 'top';
}

interface PlotFont {
  readonly size?: number;
  readonly color?: string;
}

interface PlotLine {
  readonly color?: string;
  readonly width?: number;
  readonly dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
}

type PlotSymbol = 'circle' | 'circle-open' | 'x' | 'square' | 'diamond' | 'triangle-up-open';

interface PlotMarker {
  /** One size, or one per point. */
  readonly size?: number | readonly number[];
  readonly color?: string;
  /** One symbol, or one per point. */
  readonly symbol?: PlotSymbol | readonly PlotSymbol[];
  /** The outline (of an open symbol, its stroke). */
  readonly line?: { readonly width?: number; readonly color?: string };
}

interface PlotAxis {
  readonly title?: PlotTitle;
  type?: 'log' | 'linear' | 'category';
  tickvals?: readonly PlotValue[];
  ticktext?: readonly string[];
  readonly zeroline?: boolean;
  readonly automargin?: boolean;
  readonly range?: readonly number[];
  readonly rangemode?: 'tozero';
  readonly exponentformat?: 'power' | 'e';
  readonly overlaying?: 'y';
  readonly side?: 'right';
  readonly showgrid?: boolean;
}

interface PlotMargin {
  readonly l: number;
  readonly r: number;
  readonly t: number;
  readonly b: number;
}

interface PlotAnnotation {
  readonly xref: 'paper';
  readonly yref: 'paper' | 'y';
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly showarrow: false;
  readonly xanchor?: 'left' | 'right';
  readonly yanchor?: 'bottom';
  readonly font?: PlotFont;
}

interface PlotShape {
  readonly type: 'line';
  readonly xref: 'paper';
  readonly x0: number;
  readonly x1: number;
  readonly yref: 'y';
  readonly y0: number;
  readonly y1: number;
  readonly line: PlotLine;
}

interface PlotLayout {
  margin?: PlotMargin;
  height?: number;
  xaxis?: PlotAxis;
  yaxis?: PlotAxis;
  yaxis2?: PlotAxis;
  legend?: {
    readonly orientation: 'h';
    readonly x?: number;
    readonly xanchor?: 'left';
    readonly y: number;
    readonly yanchor?: 'top';
    readonly traceorder?: 'normal';
  };
  showlegend?: boolean;
  hovermode?: 'closest';
  paper_bgcolor?: string;
  plot_bgcolor?: string;
  font?: PlotFont;
  shapes?: readonly PlotShape[];
  annotations?: readonly PlotAnnotation[];
}

interface PlotTrace {
  readonly type?: 'heatmap' | 'box';
  readonly name?: string;
  readonly x?: readonly (PlotValue | null)[];
  readonly y?: readonly (PlotValue | null)[];
  readonly z?: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly customdata?: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly text?: readonly string[];
  readonly textposition?: 'bottom right' | 'top center';
  /** Per-point hover text, read by a hovertemplate's %{hovertext}. */
  readonly hovertext?: readonly string[];
  readonly hoverinfo?: 'skip' | 'y+text';
  readonly yaxis?: 'y2';
  readonly mode?: 'lines' | 'markers' | 'lines+markers' | 'lines+markers+text';
  /** 'tonexty': fill down to the trace drawn just before (a confidence band's upper edge). */
  readonly fill?: 'tonexty';
  readonly fillcolor?: string;
  readonly legendgroup?: string;
  readonly showlegend?: boolean;
  readonly line?: PlotLine;
  readonly marker?: PlotMarker;
  readonly hovertemplate?: string;
  // Heatmaps.
  readonly zmin?: number;
  readonly zmax?: number;
  readonly colorscale?: 'Viridis';
  readonly texttemplate?: string;
  readonly textfont?: PlotFont;
  readonly xgap?: number;
  readonly ygap?: number;
  readonly colorbar?: { readonly thickness: number; readonly len: number; readonly title: PlotTitle };
  // Box plots.
  readonly boxpoints?: 'all' | 'outliers';
  readonly boxmean?: boolean;
  readonly jitter?: number;
  readonly pointpos?: number;
}

interface PlotConfig {
  readonly responsive?: boolean;
  readonly displaylogo?: boolean;
  readonly displayModeBar?: boolean;
}

interface PlotlyStatic {
  newPlot(id: string, data: readonly PlotTrace[], layout: PlotLayout, config: PlotConfig): unknown;
}

declare const Plotly: PlotlyStatic;
