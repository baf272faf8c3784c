/**
 * The report page's drawing script. It reads the JSON the page embeds (the
 * shapes in page-data.ts) and draws, with the inlined Plotly, the study's
 * small multiples and the charts by shard count.
 *
 * A classic script, not a module (tsconfig.client.json compiles it with
 * moduleDetection "legacy" and imports types only through import() types),
 * so the build's output is inlined into the page as is. It declares one
 * global, drawShardsimReport, which the page calls with what it shares with
 * the rest of the report (shared.ts: the palette and the 100k goal).
 */

type AxisValue = import('../shared.js').AxisValue;
type JsonNumber = import('../page-data.js').JsonNumber;
type PageConstants = import('../page-data.js').PageConstants;
type PageData = import('../page-data.js').PageData;
type PageRun = import('../page-data.js').PageRun;
type PageStudy = import('../page-data.js').PageStudy;
type StudyLine = import('../page-data.js').StudyLine;
type StudyPanel = import('../page-data.js').StudyPanel;

/** A layout change; null removes a default (the box chart has no legend to place). */
type LayoutPatch = { readonly [K in keyof PlotLayout]?: PlotLayout[K] | null };

/** Draws every chart of the page; the page calls it once, after Plotly has loaded. */
function drawShardsimReport(constants: PageConstants): void {
  drawShardsimSections();
  function embedded<T>(id: string): T | null {
    const el = document.getElementById(id);
    return el === null ? null : (JSON.parse(el.textContent ?? 'null') as T);
  }

  const data = embedded<PageData>('shardsim-data');
  if (data === null) return;
  const runs = data.runs.slice().sort((a, b) => a.shards - b.shards);
  if (runs.length === 0 || typeof Plotly === 'undefined') return;
  const study = embedded<PageStudy>('shardsim-study');
  if (study) drawStudy(study);
  if (study && !study.shardCharts) return;
  drawShardCharts(runs, study, constants);

  function num(v: JsonNumber | undefined): number | null {
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }

  // Log axes cannot show zero; a zero probability is left as a gap.
  function positive(v: JsonNumber): number | null {
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
  }

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

    st.panels.forEach((p) => {
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

      if (p.heatmap) {
        const hm = p.heatmap;
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

      const tp: PlotTrace[] = p.lines.map((l) => ({
        x: xsStudy,
        y: l.throughputTps,
        name: l.label || 'throughput',
        mode: 'lines+markers',
        line: { color: l.colour, width: 2 },
        marker: { size: 5 },
        hovertemplate: hover(l, '%{y:,.0f} TPS'),
      }));
      Plotly.newPlot(
        `study-throughput-${p.id}`,
        tp,
        small({
          yaxis: { title: { text: 'TPS' }, range: [0, Math.max(maxTps, 1) * 1.1], zeroline: false },
          annotations: sameNote(p, (l) => l.throughputTps),
        }),
        cfg,
      );
    });
  }

  interface Series {
    readonly label: string;
    readonly runs: PageRun[];
  }

  // The charts by shard count, one line per combination of the other parameters.
  function drawShardCharts(runs: readonly PageRun[], study: PageStudy | null, constants: PageConstants): void {
    const TARGET = constants.targetTps;
    const palette = constants.palette;
    // Runs sharing every parameter other than the shard count form one line.
    const keySet = new Set<string>();
    runs.forEach((r) => Object.keys(r.params).forEach((k) => keySet.add(k)));
    let varying = [...keySet].sort().filter((k) => {
      if (runs.every((r) => r.params[k] === r.shards)) return false;
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
    const series: Series[] = [];
    const byLabel = new Map<string, Series>();
    runs.forEach((r) => {
      const l = label(r);
      let s = byLabel.get(l);
      if (s === undefined) {
        s = { label: l, runs: [] };
        byLabel.set(l, s);
        series.push(s);
      }
      s.runs.push(r);
    });
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
        legend: { orientation: 'h', y: -0.22 },
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
    // rows: grow the chart to hold it rather than squeeze the plot or clip the legend.
    function fit(id: string, lay: PlotLayout, entries: number): PlotLayout {
      if (entries <= 4) return lay;
      const extra = 18 * Math.ceil(entries / 2);
      const m = lay.margin ?? { l: 0, r: 0, t: 0, b: 0 };
      lay.height = 420 + extra;
      lay.margin = { l: m.l, r: m.r, t: m.t, b: m.b + extra };
      const el = document.getElementById(id);
      if (el?.style) el.style.height = `${lay.height}px`;
      return lay;
    }
    function xs(s: Series): number[] {
      return s.runs.map((r) => r.shards);
    }
    function ys(s: Series, f: (r: PageRun) => JsonNumber | undefined): (number | null)[] {
      return s.runs.map((r) => num(f(r)));
    }

    // (a) Throughput against offered load, with the 100k goal.
    const tput: PlotTrace[] = [];
    series.forEach((s, i) => {
      tput.push({ x: xs(s), y: ys(s, (r) => r.throughputTps), name: name('throughput', s), mode: 'lines+markers', line: { color: colour(i) } });
      tput.push({
        x: xs(s),
        y: ys(s, (r) => r.offeredTps),
        name: name('offered load', s),
        mode: 'lines+markers',
        line: { color: colour(i), dash: 'dot' },
        marker: { symbol: 'circle-open' },
      });
    });
    const maxY = Math.max(...runs.map((r) => Math.max(num(r.throughputTps) || 0, num(r.offeredTps) || 0)));
    // The goal is drawn only when it is near the data: a line far above it would flatten every point to the axis.
    const goal = TARGET !== null && TARGET <= maxY * 3 ? TARGET : null;
    Plotly.newPlot(
      'chart-throughput',
      tput,
      fit(
        'chart-throughput',
        layout({
          yaxis: { title: { text: 'transactions / simulated s' }, range: [0, Math.max(maxY, goal ?? 0) * 1.1] },
          shapes:
            goal === null
              ? []
              : [{ type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: goal, y1: goal, line: { color: '#b02a2a', width: 2, dash: 'dash' } }],
          annotations:
            goal === null
              ? []
              : [
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
        }),
        tput.length,
      ),
      config,
    );

    // (b) Latency percentiles.
    const lat: PlotTrace[] = [];
    const percentiles = [
      ['p50', 'solid'],
      ['p95', 'dash'],
      ['p99', 'dot'],
    ] as const;
    series.forEach((s, i) => {
      percentiles.forEach(([p, dash]) => {
        lat.push({ x: xs(s), y: ys(s, (r) => r.latency[p]), name: name(p, s), mode: 'lines+markers', line: { color: colour(i), dash } });
      });
    });
    Plotly.newPlot(
      'chart-latency',
      lat,
      fit(
        'chart-latency',
        layout({
          yaxis: { title: { text: 'simulated seconds' }, rangemode: 'tozero' },
        }),
        lat.length,
      ),
      config,
    );

    // (c) Cross-shard ratio, against the uniform-receiver expectation 1 - 1/S.
    // A missing ratio (null in the JSON) multiplies as 0.
    const cross: PlotTrace[] = series.map((s, i) => ({
      x: xs(s),
      y: ys(s, (r) => Number(r.crossShardRatio) * 100),
      name: name('cross-shard', s),
      mode: 'lines+markers',
      line: { color: colour(i) },
    }));
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
        cross.length,
      ),
      config,
    );

    // (d) Per-shard utilisation: one box per run, so hot shards stand out as outliers.
    const util: PlotTrace[] = runs.map((r) => {
      const l = label(r);
      // In a study the axis values alone (S=4 · block-stm · 8) keep the tick labels short.
      const short = study ? varying.map((k) => r.params[k]).join(' · ') : l;
      return {
        type: 'box',
        name: `S=${r.shards}${short ? (study ? ` · ${short}` : ` (${short})`) : ''}`,
        y: r.perShard.map((p) => {
          const u = num(p.utilisation);
          return u === null ? null : u * 100;
        }),
        text: r.perShard.map((p) => `shard ${p.shard}`),
        boxpoints: r.perShard.length <= 64 ? 'all' : 'outliers',
        jitter: 0.4,
        pointpos: 0,
        marker: { color: colour(series.indexOf(byLabel.get(l)!)), size: 4 },
        boxmean: true,
        showlegend: false,
      };
    });
    Plotly.newPlot(
      'chart-utilisation',
      util,
      layout({
        xaxis: { title: { text: 'run (shard count)' }, type: 'category', automargin: true },
        legend: null,
        showlegend: false,
        margin: { l: 70, r: 30, t: 40, b: 60 },
        yaxis: { title: { text: '% of block capacity' }, range: [0, 105] },
      }),
      config,
    );

    // (e) Throughput against committee failure probability: more shards means smaller committees.
    const sec: PlotTrace[] = [];
    series.forEach((s, i) => {
      sec.push({ x: xs(s), y: ys(s, (r) => r.throughputTps), name: name('throughput', s), mode: 'lines+markers', line: { color: colour(i) } });
      sec.push({
        x: xs(s),
        y: s.runs.map((r) => positive(r.security.failureProbability)),
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
        sec.length,
      ),
      config,
    );

    // (f) Parallel execution inside a shard: speedup and the aborts that cost it.
    const exec: PlotTrace[] = [];
    series.forEach((s, i) => {
      exec.push({
        x: xs(s),
        y: ys(s, (r) => r.execution.speedup),
        name: name('speedup', s),
        mode: 'lines+markers',
        line: { color: colour(i) },
        text: s.runs.map((r) => `${r.execution.executor}, ${r.execution.threads} threads`),
      });
      exec.push({
        x: xs(s),
        y: ys(s, (r) => r.execution.aborts),
        name: name('aborts', s),
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
          yaxis2: { title: { text: 'aborts' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false },
        }),
        exec.length,
      ),
      config,
    );
  }
}

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
