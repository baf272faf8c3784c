/**
 * The study of a sweep that varies more than the shard count: per panel of
 * the small multiples, the quantities study-model.ts chose (speedup with its
 * dotted bound, the speedup heatmap, abort rate, throughput, cross-shard share,
 * load imbalance). A classic script, like draw.ts.
 */

// The study: per panel, speedup (with dotted bounds), heatmap, abort rate, throughput.
function drawStudy(st: PageStudy): void {
  // Small multiples: no mode bar, it would sit on the plot area of a short chart.
  const cfg: PlotConfig = { responsive: true, displaylogo: false, displayModeBar: false };
  const X = st.x;
  const lineShort = st.line === null ? '' : st.line.short;
  const xsStudy: readonly AxisValue[] = X.scale === 'category' ? X.labels : X.values;
  function xAxis(): PlotAxis {
    const a: PlotAxis = { title: { text: X.short }, zeroline: false, automargin: true };
    if (X.scale === 'log2' || X.scale === 'log') {
      a.type = 'log';
      a.tickvals = X.values;
      a.ticktext = X.labels;
    } else if (X.scale === 'category') a.type = 'category';
    return a;
  }
  function small(extra: PlotLayout): PlotLayout {
    const base: PlotLayout = {
      margin: { l: 55, r: 15, t: 24, b: 45 },
      xaxis: xAxis(),
      showlegend: false,
      hovermode: 'closest',
      paper_bgcolor: '#fff',
      plot_bgcolor: '#fff',
      font: { size: 11 },
    };
    return Object.assign(base, extra);
  }
  function all(f: (l: StudyLine) => readonly (number | null)[]): number[] {
    const out: number[] = [];
    st.panels.forEach((p) => {
      p.lines.forEach((l) => {
        f(l).forEach((v) => {
          if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
        });
      });
    });
    return out;
  }
  // Lines with identical figures hide one another: say so rather than look like one line.
  function coincide(p: StudyPanel, f: (l: StudyLine) => readonly (number | null)[]): boolean {
    if (p.lines.length < 2) return false;
    const first = JSON.stringify(f(p.lines[0]!));
    return p.lines.every((l) => JSON.stringify(f(l)) === first);
  }
  function sameNote(p: StudyPanel, f: (l: StudyLine) => readonly (number | null)[]): PlotAnnotation[] {
    return coincide(p, f)
      ? [
          {
            xref: 'paper',
            yref: 'paper',
            x: 0.5,
            y: 1,
            yanchor: 'bottom',
            showarrow: false,
            text: `the ${p.lines.length} ${lineShort} lines coincide`,
            font: { color: '#5b6475', size: 11 },
          },
        ]
      : [];
  }
  function hover(l: StudyLine, what: string): string {
    return `${(l.label ? `${l.label}<br>` : '') + X.short} %{x}: ${what}<extra></extra>`;
  }
  const maxSpeed = Math.max(1, ...all((l) => l.speedup.concat(l.boundRaw)));
  const maxTps = Math.max(0, ...all((l) => l.throughputTps));
  const rates = all((l) => l.abortRate).filter((v) => v > 0);
  const rateRange: [number, number] = rates.length === 0 ? [-3, 0] : [Math.floor(Math.log10(Math.min(...rates))), Math.ceil(Math.log10(Math.max(...rates)))];
  if (rateRange[0] === rateRange[1]) rateRange[1] += 1;

  const maxImbalance = Math.max(1, ...all((l) => l.loadImbalance));
  const wants = (q: StudyQuantity): boolean => (st.quantities ?? ['speedup', 'heatmap', 'aborts', 'throughput']).indexOf(q) >= 0;

  st.panels.forEach((p) => {
    if (wants('speedup')) drawSpeedup(p);
    if (p.heatmap && wants('heatmap')) drawHeatmap(p, p.heatmap);
    if (wants('aborts')) drawAborts(p);
    if (wants('throughput')) drawLines(p, 'study-throughput', (l) => l.throughputTps, 'TPS', '%{y:,.0f} TPS', [0, Math.max(maxTps, 1) * 1.1]);
    if (wants('cross')) {
      drawLines(p, 'study-cross', (l) => l.crossShardRatio.map((v) => (v === null ? null : v * 100)), '% cross-shard', '%{y:.1f}% cross-shard', [0, 105]);
    }
    if (wants('imbalance')) drawLines(p, 'study-imbalance', (l) => l.loadImbalance, 'busiest / mean', 'imbalance %{y:.2f}', [0, maxImbalance * 1.1]);
  });

  function drawSpeedup(p: StudyPanel): void {
    const sp: PlotTrace[] = [];
    p.lines.forEach((l, i) => {
      sp.push({
        x: xsStudy,
        y: l.speedup,
        name: l.label || 'speedup',
        legendgroup: `l${i}`,
        mode: 'lines+markers',
        line: { color: l.colour, width: 2 },
        marker: { size: 5 },
        hovertemplate: hover(l, 'speedup %{y:.2f}'),
      });
      sp.push({
        x: xsStudy,
        y: l.boundRaw,
        name: `${l.label ? `${l.label} ` : ''}bound`,
        legendgroup: `l${i}`,
        mode: 'lines',
        line: { color: l.colour, width: 1.5, dash: 'dot' },
        hovertemplate: hover(l, 'bound %{y:.2f}'),
      });
    });
    Plotly.newPlot(
      `study-speedup-${p.id}`,
      sp,
      small({
        yaxis: { title: { text: 'speedup ×' }, range: [0, maxSpeed * 1.06], zeroline: false },
        annotations: sameNote(p, (l) => l.speedup),
      }),
      cfg,
    );
  }

  function drawHeatmap(p: StudyPanel, hm: NonNullable<StudyPanel['heatmap']>): void {
    Plotly.newPlot(
      `study-heatmap-${p.id}`,
      [
        {
          type: 'heatmap',
          x: hm.x,
          y: hm.y,
          z: hm.z,
          customdata: hm.bound,
          zmin: 0,
          zmax: maxSpeed,
          colorscale: 'Viridis',
          texttemplate: '%{z:.1f}',
          textfont: { size: 10 },
          xgap: 1,
          ygap: 1,
          colorbar: { thickness: 10, len: 0.9, title: { text: '×', side: 'top' } },
          hovertemplate: `${lineShort} %{y}, ${X.short} %{x}<br>speedup %{z:.2f} (bound %{customdata:.2f})<extra></extra>`,
        },
      ],
      small({
        xaxis: { title: { text: X.short }, type: 'category' },
        yaxis: { title: { text: lineShort }, type: 'category' },
        margin: { l: 60, r: 10, t: 24, b: 45 },
      }),
      cfg,
    );
  }

  function drawAborts(p: StudyPanel): void {
    const ab: PlotTrace[] = p.lines.map((l) => ({
      x: xsStudy,
      y: l.abortRate.map((v) => (typeof v === 'number' && v > 0 ? v : null)),
      name: l.label || 'abort rate',
      mode: 'lines+markers',
      line: { color: l.colour, width: 2 },
      marker: { size: 5 },
      hovertemplate: hover(l, '%{y:.3g} aborts per item'),
    }));
    const none = p.lines.every((l) => l.abortRate.every((v) => !(typeof v === 'number' && v > 0)));
    Plotly.newPlot(
      `study-aborts-${p.id}`,
      ab,
      small({
        yaxis: { title: { text: 'aborts / item' }, type: 'log', range: rateRange, exponentformat: 'power' },
        annotations: none
          ? [{ xref: 'paper', yref: 'paper', x: 0.5, y: 0.5, text: 'no aborts', showarrow: false, font: { color: '#5b6475', size: 13 } }]
          : sameNote(p, (l) => l.abortRate),
      }),
      cfg,
    );
  }

  function drawLines(
    p: StudyPanel,
    prefix: string,
    f: (l: StudyLine) => readonly (number | null)[],
    title: string,
    what: string,
    range: readonly [number, number],
  ): void {
    const traces: PlotTrace[] = p.lines.map((l) => ({
      x: xsStudy,
      y: f(l),
      name: l.label || title,
      mode: 'lines+markers',
      line: { color: l.colour, width: 2 },
      marker: { size: 5 },
      hovertemplate: hover(l, what),
    }));
    Plotly.newPlot(`${prefix}-${p.id}`, traces, small({ yaxis: { title: { text: title }, range, zeroline: false }, annotations: sameNote(p, f) }), cfg);
  }
}
