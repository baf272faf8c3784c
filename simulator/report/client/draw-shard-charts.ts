/**
 * The charts by shard count: maximum sustainable throughput, throughput
 * against offered load, latency with its lower bounds, cross-shard share,
 * per-shard demand, security, parallel execution; one line per combination
 * of the other swept parameters, means with bands when points ran several
 * seeds. A classic script, like draw.ts.
 */

/** A run and the statistics of its point over seeds (null when the results carry none). */
interface Entry {
  readonly run: PageRun;
  readonly stats: PagePoint | null;
}

/** One point of a line by shard count: its runs (one per seed) and their statistics. */
interface Point {
  readonly shards: number;
  readonly runs: PageRun[];
  readonly stats: PagePoint | null;
}

interface Series {
  readonly label: string;
  readonly points: Point[];
}

// The charts by shard count, one line per combination of the other parameters.
function drawShardCharts(entries: readonly Entry[], study: PageStudy | null, constants: PageConstants, multiSeed: boolean): void {
  /** A point's figure: with several seeds the mean over them, else the run's own. */
  function valueAt(p: Point, path: string): number | null {
    if (!multiSeed) return figureOf(p.runs[0]!, path);
    const stats = p.stats?.figures[path];
    if (stats) return num(stats.mean);
    const xs = p.runs.map((r) => figureOf(r, path)).filter((v): v is number => v !== null);
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
  }

  /** The 95% interval of a point's mean, with several seeds and statistics to read it from. */
  function bandAt(p: Point, path: string): readonly [number, number] | null {
    const ci = multiSeed ? p.stats?.figures[path]?.ci95 : undefined;
    if (!ci) return null;
    const lo = num(ci[0]);
    const hi = num(ci[1]);
    return lo === null || hi === null ? null : [lo, hi];
  }

  const runs = entries.map((e) => e.run);
  const TARGET = constants.targetTps;
  const palette = constants.palette;
  // Runs sharing every parameter other than the shard count form one line.
  const keySet = new Set<string>();
  runs.forEach((r) => Object.keys(r.params).forEach((k) => keySet.add(k)));
  let varying = [...keySet].sort().filter((k) => {
    if (k === 'seed' || runs.every((r) => r.params[k] === r.shards)) return false;
    const first = runs[0]!.params[k];
    return runs.some((r) => r.params[k] !== first);
  });
  // In a study, lines are named by the sweep's axes with their short names (threads=8).
  const shortOf = new Map<string, string>();
  if (study) {
    varying = study.axes.filter((a) => a.key !== 'shards').map((a) => a.key);
    study.axes.forEach((a) => shortOf.set(a.key, a.short));
  }
  function label(r: PageRun): string {
    return varying.map((k) => `${shortOf.get(k) || k}=${r.params[k]}`).join(', ');
  }
  // A line's points by shard count; the runs of one point differ only by seed.
  const series: Series[] = [];
  const byLabel = new Map<string, Series>();
  entries.forEach((e) => {
    const l = label(e.run);
    let s = byLabel.get(l);
    if (s === undefined) {
      s = { label: l, points: [] };
      byLabel.set(l, s);
      series.push(s);
    }
    const same = s.points.find((p) => p.shards === e.run.shards);
    if (same) same.runs.push(e.run);
    else s.points.push({ shards: e.run.shards, runs: [e.run], stats: e.stats });
  });
  const allPoints = series.flatMap((s) => s.points);
  function name(base: string, s: Series): string {
    return s.label ? `${base} (${s.label})` : base;
  }
  function colour(i: number): string {
    return palette[i % palette.length]!;
  }

  const shardCounts = runs.map((r) => r.shards).filter((v, i, a) => a.indexOf(v) === i);
  // Shard counts are usually powers of two: a log axis with one tick per count reads as log2.
  // A fresh object per chart: Plotly writes computed ranges back into layouts.
  function shardAxis(): PlotAxis {
    return { title: { text: 'shards' }, type: 'log', tickvals: shardCounts, ticktext: shardCounts.map(String), zeroline: false };
  }
  const config: PlotConfig = { responsive: true, displaylogo: false };
  function layout(extra: LayoutPatch): PlotLayout {
    const base: Record<string, unknown> = {
      margin: { l: 70, r: 70, t: 40, b: 90 },
      xaxis: shardAxis(),
      // Plotly reverses the legend of charts with filled traces (it assumes a stack); bands are not one.
      legend: { orientation: 'h', y: -0.22, traceorder: 'normal' },
      hovermode: 'closest',
      paper_bgcolor: '#fff',
      plot_bgcolor: '#fff',
      font: { size: 12 },
    };
    for (const [k, v] of Object.entries(extra)) {
      if (v === null) delete base[k];
      else base[k] = v;
    }
    return base as PlotLayout;
  }
  // Many series (a study that also varies the shard count) make a legend of many
  // rows: size the chart to hold it below the axis, rather than squeeze the plot
  // or let the legend run over the axis title. Rows are estimated from the names'
  // lengths (about 6.3 px a character at 12 px, 48 px for the key) across the
  // narrowest chart (560 px).
  const PLOT_HEIGHT = 290;
  const BELOW_AXIS = 72;
  function fit(id: string, lay: PlotLayout, traces: readonly PlotTrace[]): PlotLayout {
    const names = traces.filter((t) => t.showlegend !== false).map((t) => t.name ?? '');
    if (names.length === 0) return lay;
    const longest = Math.max(...names.map((n) => n.length));
    const perRow = Math.max(1, Math.floor(560 / (48 + 6.3 * longest)));
    const rows = Math.ceil(names.length / perRow);
    const m = lay.margin ?? { l: 0, r: 0, t: 0, b: 0 };
    const bottom = BELOW_AXIS + rows * 19 + 8;
    lay.margin = { l: m.l, r: m.r, t: m.t, b: bottom };
    lay.height = m.t + PLOT_HEIGHT + bottom;
    lay.legend = { orientation: 'h', x: 0, xanchor: 'left', y: -BELOW_AXIS / PLOT_HEIGHT, yanchor: 'top', traceorder: 'normal' };
    const el = document.getElementById(id);
    if (el?.style) el.style.height = `${lay.height}px`;
    return lay;
  }
  function xs(s: Series): number[] {
    return s.points.map((p) => p.shards);
  }
  function ys(s: Series, path: string, k = 1): (number | null)[] {
    return s.points.map((p) => scaled(valueAt(p, path), k));
  }
  /** Every value a figure takes on the chart, band edges included: what its axis must hold. */
  function extent(path: string, k = 1): (number | null)[] {
    return allPoints.flatMap((p) => {
      const b = bandAt(p, path);
      return [scaled(valueAt(p, path), k), ...(b ? [b[0] * k, b[1] * k] : [])];
    });
  }
  /**
   * A line over shard count, and with several seeds its 95% band: the lower
   * edge, then the upper one filled down to it ('tonexty' fills to the trace
   * just before), both out of the legend and the hover.
   */
  function line(s: Series, path: string, trace: PlotTrace, k = 1): PlotTrace[] {
    const out: PlotTrace[] = [];
    const c = trace.line?.color ?? '#555';
    const bands = s.points.map((p) => bandAt(p, path));
    if (bands.some((b) => b !== null)) {
      const edge = (j: 0 | 1): (number | null)[] => bands.map((b, n) => (b ? b[j] * k : scaled(valueAt(s.points[n]!, path), k)));
      const common: PlotTrace = { x: xs(s), mode: 'lines', showlegend: false, hoverinfo: 'skip', ...(trace.yaxis ? { yaxis: trace.yaxis } : {}) };
      out.push({ ...common, y: edge(0), line: { color: c, width: 0 } });
      out.push({ ...common, y: edge(1), line: { color: c, width: 0 }, fill: 'tonexty', fillcolor: translucent(c, 0.18) });
    }
    out.push({ x: xs(s), y: ys(s, path, k), ...trace });
    return out;
  }
  /** The goal line where it is near the data: far above it would flatten every point to the axis. */
  function goalNear(axis: PlotAxis, values: readonly (number | null)[]): number | null {
    if (TARGET === null) return null;
    const fin = values.filter((v): v is number => v !== null && Number.isFinite(v));
    const max = Math.max(0, ...fin);
    const min = Math.min(...fin.filter((v) => v > 0));
    if (TARGET > max * 2) return null;
    if (axis.type === 'log' && TARGET < min / 2) return null;
    return TARGET;
  }
  function goalDecor(goal: number | null): LayoutPatch {
    if (goal === null) return { shapes: [], annotations: [] };
    return {
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: goal, y1: goal, line: { color: '#b02a2a', width: 2, dash: 'dash' } }],
      annotations: [
        {
          xref: 'paper',
          x: 0,
          y: goal,
          yref: 'y',
          text: `goal ${goal.toLocaleString('en-US')} TPS`,
          showarrow: false,
          xanchor: 'left',
          yanchor: 'bottom',
          font: { color: '#b02a2a' },
        },
      ],
    };
  }
  /** Stretch an axis to hold the goal too. */
  function withGoal(axis: PlotAxis, goal: number | null): PlotAxis {
    if (goal === null || !axis.range) return axis;
    const [lo, hi] = axis.range as [number, number];
    if (axis.type === 'log') return { ...axis, range: [Math.min(lo, Math.log10(goal) - 0.15), Math.max(hi, Math.log10(goal) + 0.15)] };
    return { ...axis, range: [lo, Math.max(hi, goal * 1.1)] };
  }

  // (0) The maximum sustainable throughput, with ideal linear scaling and the search's probes.
  if (runs.some((r) => r.findMax !== undefined)) {
    const fm: PlotTrace[] = [];
    const axisValues: (number | null)[] = extent('findMax.maxSustainableTps');
    series.forEach((s, i) => {
      const c = colour(i);
      const max = ys(s, 'findMax.maxSustainableTps');
      // Ideal linear scaling from the smallest shard count with a figure: max(S0) × S / S0.
      const b = max.findIndex((v) => v !== null && v > 0);
      const s0 = b < 0 ? null : s.points[b]!.shards;
      const m0 = b < 0 ? null : max[b]!;
      const ideal = s.points.map((p) => (s0 === null || m0 === null ? null : (m0 * p.shards) / s0));
      const eff = max.map((m, j) => (m === null || ideal[j] === null || ideal[j] === 0 ? null : m / ideal[j]!));
      axisValues.push(...ideal);
      fm.push(
        ...line(s, 'findMax.maxSustainableTps', {
          name: name('max sustainable', s),
          mode: 'lines+markers+text',
          line: { color: c, width: 2.5 },
          marker: { size: 8, color: c },
          text: eff.map((e, j) => (e === null || j === b ? '' : `${Math.round(e * 100)}%`)),
          textposition: 'bottom right',
          textfont: { size: 11, color: c },
          hovertext: s.points.map((p, j) => {
            const first = p.runs[0]!.findMax?.firstUnsustainableTps;
            return [
              `${p.shards} shard${p.shards === 1 ? '' : 's'}: max sustainable ${tpsText(max[j]!)} TPS${multiSeed ? ` (mean over ${p.runs.length} seeds)` : ''}`,
              ideal[j] === null ? '' : `ideal linear ${tpsText(ideal[j]!)} TPS: efficiency ${eff[j] === null ? '–' : `${Math.round(eff[j]! * 100)}%`}`,
              typeof first === 'number' && !multiSeed ? `lowest unsustainable rate probed: ${tpsText(first)} TPS` : '',
            ]
              .filter((t) => t !== '')
              .join('<br>');
          }),
          hovertemplate: '%{hovertext}<extra></extra>',
        }),
      );
      fm.push({
        x: xs(s),
        y: ideal,
        name: name(`ideal linear from ${s0 ?? '?'} shard${s0 === 1 ? '' : 's'}`, s),
        mode: 'lines',
        line: { color: c, width: 1.5, dash: 'dash' },
        hovertemplate: `%{x} shards: ideal %{y:,.0f} TPS<extra></extra>`,
      });
    });
    // Every rate the search probed: filled where sustainable, a cross where not.
    const probes = runs.flatMap((r) => (r.findMax?.probes ?? []).map((p) => ({ shards: r.shards, seed: r.seed, probe: p })));
    for (const ok of [true, false]) {
      const these = probes.filter((p) => p.probe.sustainable === ok && num(p.probe.rate) !== null);
      if (these.length === 0) continue;
      // Probes far above the boundary (the doubling overshoots) would flatten the line the chart is about: the axis
      // reaches the lowest unsustainable rate with a margin, and farther probes are clipped (their hover still tells).
      if (ok) axisValues.push(...these.map((p) => num(p.probe.rate)));
      fm.push({
        x: these.map((p) => p.shards),
        y: these.map((p) => num(p.probe.rate)),
        name: ok ? 'probe: sustainable' : 'probe: not sustainable',
        mode: 'markers',
        marker: { size: ok ? 5 : 7, color: '#9aa0ab', symbol: ok ? 'circle' : 'x' },
        hovertext: these.map(
          (p) =>
            `${p.shards} shard${p.shards === 1 ? '' : 's'}${multiSeed && p.seed !== undefined ? `, seed ${p.seed}` : ''}: ${tpsText(num(p.probe.rate))} tx/s offered, ${tpsText(num(p.probe.throughputTps))} TPS done<br>` +
            (ok ? 'sustainable' : p.probe.reasons.join('<br>')),
        ),
        hovertemplate: '%{hovertext}<extra></extra>',
      });
    }
    for (const r of runs) {
      const first = num(r.findMax?.firstUnsustainableTps ?? null);
      if (first !== null) axisValues.push(first * 1.2);
    }
    const axis = valueAxis('max sustainable TPS', axisValues);
    const goal = goalNear(axis, axisValues);
    Plotly.newPlot('chart-findmax', fm, fit('chart-findmax', layout({ yaxis: withGoal(axis, goal), ...goalDecor(goal) }), fm), config);
  }

  // (a) Throughput against offered load, with the goal where it is near, and overloaded runs ringed.
  const tput: PlotTrace[] = [];
  series.forEach((s, i) => {
    tput.push(
      ...line(s, 'throughputTps', {
        name: name('throughput', s),
        mode: 'lines+markers',
        line: { color: colour(i) },
        hovertemplate: `%{x} shards: %{y:,.0f} TPS${multiSeed ? ' (mean)' : ''}<extra>${name('throughput', s)}</extra>`,
      }),
    );
    tput.push(
      ...line(s, 'offeredTps', {
        name: name('offered load', s),
        mode: 'lines+markers',
        line: { color: colour(i), dash: 'dot' },
        marker: { symbol: 'circle-open' },
        hovertemplate: `%{x} shards: %{y:,.0f} tx/s offered<extra>${name('offered load', s)}</extra>`,
      }),
    );
  });
  const over = series.flatMap((s) =>
    s.points
      .map((p) => ({ p, bad: p.runs.filter((r) => r.stability !== undefined && !r.stability.stable) }))
      .filter((o) => o.bad.length > 0)
      .map((o) => ({ x: o.p.shards, y: valueAt(o.p, 'throughputTps'), runs: o.p.runs.length, bad: o.bad })),
  );
  if (over.length > 0) {
    tput.push({
      x: over.map((o) => o.x),
      y: over.map((o) => o.y),
      name: 'overloaded (hover: why)',
      mode: 'markers',
      marker: { symbol: 'circle-open', size: 18, color: '#d62728', line: { width: 2, color: '#d62728' } },
      hovertext: over.map((o) => {
        const reasons = o.bad.flatMap((r) => r.stability?.reasons ?? []).filter((v, i, a) => a.indexOf(v) === i);
        const share = multiSeed ? ` in ${o.bad.length} of ${o.runs} seeds` : '';
        return `${o.x} shard${o.x === 1 ? '' : 's'}: overloaded${share}<br>${reasons.join('<br>')}`;
      }),
      hovertemplate: '%{hovertext}<extra></extra>',
    });
  }
  const tputValues = extent('throughputTps').concat(extent('offeredTps'));
  const tputAxis = valueAxis('transactions / simulated s', tputValues);
  // With --find-max the goal judges the sustained maximum, drawn on its own chart.
  const tputGoal = runs.some((r) => r.findMax !== undefined) ? null : goalNear(tputAxis, tputValues);
  Plotly.newPlot('chart-throughput', tput, fit('chart-throughput', layout({ yaxis: withGoal(tputAxis, tputGoal), ...goalDecor(tputGoal) }), tput), config);

  // (b) Latency percentiles, every point drawn; a lower bound is an open triangle pointing up.
  const lat: PlotTrace[] = [];
  const percentiles = [
    ['p50', 'solid'],
    ['p95', 'dash'],
    ['p99', 'dot'],
  ] as const;
  const isLowerBound = (p: Point, pct: string): boolean => p.runs.some((r) => (r.latency.lowerBound ?? []).indexOf(pct) >= 0);
  let anyLower = false;
  series.forEach((s, i) => {
    percentiles.forEach(([pct, dash]) => {
      const path = `latency.${pct}`;
      const lower = s.points.map((p) => isLowerBound(p, pct));
      if (lower.some(Boolean)) anyLower = true;
      lat.push(
        ...line(s, path, {
          name: name(pct, s),
          mode: 'lines+markers',
          line: { color: colour(i), dash },
          marker: {
            symbol: lower.map((l) => (l ? 'triangle-up-open' : 'circle')),
            size: lower.map((l) => (l ? 11 : 6)),
            color: colour(i),
            line: { width: 1.5, color: colour(i) },
          },
          hovertext: s.points.map((p, j) => {
            const v = valueAt(p, path);
            const done = valueAt(p, 'latency.completedShare');
            const share = done === null ? '' : `${(done * 100).toFixed(done < 0.995 ? 1 : 0)}% of the window's transactions finished`;
            const head = `${p.shards} shard${p.shards === 1 ? '' : 's'}: ${pct}${multiSeed ? ' (mean)' : ''} `;
            if (v === null) return `${head}–`;
            return lower[j] ? `${head}≥ ${secondsText(v)} s (lower bound: ${share})` : `${head}${secondsText(v)} s${share ? ` (${share})` : ''}`;
          }),
          hovertemplate: '%{hovertext}<extra></extra>',
        }),
      );
    });
  });
  // The completed share, right axis: how much of the window the percentiles actually saw finish.
  // When every transaction finished it would be a flat line on the top edge: a note says so instead.
  const allDone = allPoints.every((p) => p.runs.every((r) => r.latency.completedShare === undefined || r.latency.completedShare === 1));
  if (!allDone)
    series.forEach((s, i) => {
      lat.push(
        ...line(
          s,
          'latency.completedShare',
          {
            name: name('finished %', s),
            mode: 'lines+markers',
            yaxis: 'y2',
            line: { color: series.length === 1 ? '#7a7f8c' : colour(i), width: 1.5, dash: 'dashdot' },
            marker: { size: 5, symbol: 'diamond' },
            hovertemplate: `%{x} shards: %{y:.1f}% of the window's transactions finished<extra></extra>`,
          },
          100,
        ),
      );
    });
  if (anyLower) {
    // A legend key for the marker alone.
    lat.push({
      x: [null],
      y: [null],
      name: 'lower bound (unfinished tx reach it)',
      mode: 'markers',
      marker: { symbol: 'triangle-up-open', size: 11, color: '#333' },
    });
  }
  const latValues = percentiles.flatMap(([pct]) => extent(`latency.${pct}`));
  Plotly.newPlot(
    'chart-latency',
    lat,
    fit(
      'chart-latency',
      layout({
        yaxis: valueAxis('simulated seconds', latValues),
        ...(allDone
          ? {
              annotations: [
                {
                  xref: 'paper',
                  yref: 'paper',
                  x: 0,
                  y: 1,
                  xanchor: 'left',
                  yanchor: 'bottom',
                  showarrow: false,
                  text: 'every transaction of the window finished: no figure is censored',
                  font: { color: '#5b6475', size: 11 },
                },
              ],
            }
          : {
              yaxis2: { title: { text: "% of window's tx finished" }, overlaying: 'y', side: 'right', range: [0, 105], showgrid: false, zeroline: false },
            }),
      }),
      lat,
    ),
    config,
  );

  // (c) Cross-shard ratio, against the uniform-receiver expectation 1 - 1/S.
  const cross: PlotTrace[] = series.flatMap((s, i) =>
    line(s, 'crossShardRatio', { name: name('cross-shard', s), mode: 'lines+markers', line: { color: colour(i) } }, 100),
  );
  cross.push({
    x: shardCounts,
    y: shardCounts.map((n) => (1 - 1 / n) * 100),
    name: 'uniform receivers: 1 − 1/S',
    mode: 'lines',
    line: { color: '#999', dash: 'dot' },
  });
  Plotly.newPlot(
    'chart-cross',
    cross,
    fit(
      'chart-cross',
      layout({
        yaxis: { title: { text: '% of committed tx' }, range: [0, 105] },
      }),
      cross,
    ),
    config,
  );

  // (d) Per-shard demand over capacity, uncapped: one box per point, so hot shards stand out above 100%.
  let maxDemand = 100;
  const demand: PlotTrace[] = [];
  series.forEach((s, i) => {
    s.points.forEach((p) => {
      // In a study the axis values alone (S=4 · block-stm · 8) keep the tick labels short.
      const r0 = p.runs[0]!;
      const short = study ? varying.map((k) => r0.params[k]).join(' · ') : s.label;
      const shardsOf = p.runs.flatMap((r) => r.perShard.map((sh) => ({ r, sh })));
      const y = shardsOf.map(({ sh }) => {
        // Older results have no demand: utilisation (capped at 100%) stands in.
        const d = num(sh.demand) ?? num(sh.utilisation);
        return d === null ? null : d * 100;
      });
      y.forEach((v) => {
        if (v !== null && v > maxDemand) maxDemand = v;
      });
      demand.push({
        type: 'box',
        name: `S=${p.shards}${short ? (study ? ` · ${short}` : ` (${short})`) : ''}`,
        y,
        text: shardsOf.map(({ r, sh }) => {
          const u = num(sh.utilisation);
          const d = num(sh.demand);
          return `shard ${sh.shard}${multiSeed && r.seed !== undefined ? `, seed ${r.seed}` : ''}: demand ${d === null ? '–' : `${(d * 100).toFixed(0)}%`} of capacity, block utilisation ${u === null ? '–' : `${(u * 100).toFixed(0)}%`}`;
        }),
        hoverinfo: 'y+text',
        boxpoints: shardsOf.length <= 64 ? 'all' : 'outliers',
        jitter: 0.4,
        pointpos: 0,
        marker: { color: colour(i), size: 4 },
        boxmean: true,
        showlegend: false,
      });
    });
  });
  Plotly.newPlot(
    'chart-demand',
    demand,
    layout({
      xaxis: { title: { text: 'run (shard count)' }, type: 'category', automargin: true },
      legend: null,
      showlegend: false,
      margin: { l: 70, r: 30, t: 40, b: 60 },
      yaxis: { title: { text: 'demand, % of shard capacity' }, range: [0, maxDemand * 1.08], zeroline: false },
      shapes: [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: 100, y1: 100, line: { color: '#b02a2a', width: 1.5, dash: 'dash' } }],
      annotations: [
        {
          xref: 'paper',
          x: 1,
          y: 100,
          yref: 'y',
          text: 'capacity',
          showarrow: false,
          xanchor: 'right',
          yanchor: 'bottom',
          font: { color: '#b02a2a', size: 11 },
        },
      ],
    }),
    config,
  );

  // (e) Throughput against committee failure probability: more shards means smaller committees.
  const sec: PlotTrace[] = [];
  series.forEach((s, i) => {
    sec.push(...line(s, 'throughputTps', { name: name('throughput', s), mode: 'lines+markers', line: { color: colour(i) } }));
    sec.push({
      x: xs(s),
      y: s.points.map((p) => positive(valueAt(p, 'security.failureProbability'))),
      name: name('committee failure P', s),
      yaxis: 'y2',
      mode: 'lines+markers',
      line: { color: colour(i), dash: 'dash' },
      marker: { symbol: 'x' },
    });
  });
  Plotly.newPlot(
    'chart-security',
    sec,
    fit(
      'chart-security',
      layout({
        yaxis: { title: { text: 'throughput (TPS)' }, rangemode: 'tozero' },
        yaxis2: { title: { text: 'P(some committee fails) per epoch' }, type: 'log', overlaying: 'y', side: 'right', exponentformat: 'e', showgrid: false },
      }),
      sec,
    ),
    config,
  );

  // (f) Parallel execution inside a shard: speedup and the aborts that cost it; only when it is in play.
  if (!constants.execution) return;
  const exec: PlotTrace[] = [];
  series.forEach((s, i) => {
    exec.push(
      ...line(s, 'execution.speedup', {
        name: name('speedup', s),
        mode: 'lines+markers',
        line: { color: colour(i) },
        text: s.points.map((p) => `${p.runs[0]!.execution.executor}, ${p.runs[0]!.execution.threads} threads`),
      }),
    );
    exec.push({
      x: xs(s),
      // Aborted incarnations per executed item, as the table and the study give them (a total grows with the shard count).
      y: s.points.map((p) => meanOf(p.runs.map(abortsPerItem))),
      name: name('aborts / item', s),
      yaxis: 'y2',
      mode: 'lines+markers',
      line: { color: colour(i), dash: 'dot' },
      marker: { symbol: 'square' },
    });
  });
  Plotly.newPlot(
    'chart-execution',
    exec,
    fit(
      'chart-execution',
      layout({
        yaxis: { title: { text: 'speedup (sequential / makespan)' }, rangemode: 'tozero' },
        yaxis2: { title: { text: 'aborts / item' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false },
      }),
      exec,
    ),
    config,
  );
}
