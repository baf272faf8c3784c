/** The report page's stylesheet, inlined into its <style> element. */
export const CSS = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #dde2ea; --accent: #2f6fdb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #f7f8fa; }
main { max-width: 1400px; margin: 0 auto; padding: 1.5rem clamp(0.75rem, 3vw, 2rem) 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.75rem; }
.meta { color: var(--muted); margin: 0 0 1rem; font-size: 0.9rem; }
.description { font-size: 1.08rem; margin: 0.2rem 0 0.6rem; max-width: 60rem; }
dl.settings { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr)); gap: 0.15rem 1.5rem; margin: 0 0 0.75rem; padding: 0.6rem 0.9rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; max-width: 72rem; }
dl.settings div { display: flex; gap: 0.6rem; min-width: 0; }
dl.settings dt { color: var(--muted); flex: 0 0 8.5rem; }
dl.settings dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
.meta code { word-break: break-all; }
.note { max-width: 60rem; }
.verdict { font-size: 1.05rem; }
.verdict.warn { max-width: 60rem; border-left: 4px solid #d9822b; padding: 0.4rem 0.75rem; background: #fff7ec; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 0.4rem 0.6rem; text-align: right; white-space: nowrap; border-bottom: 1px solid var(--line); }
th { background: #eef1f5; font-weight: 600; white-space: normal; vertical-align: bottom; min-width: 4.5rem; }
tr:last-child td { border-bottom: none; }
tr.reached td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
tr.over td:first-child { box-shadow: inset 3px 0 0 #d62728; }
tr.over td:first-child::before { content: "overloaded "; color: #d62728; font-size: 0.75rem; }
tr.reached.over td:first-child { box-shadow: inset 3px 0 0 var(--accent), inset 6px 0 0 #d62728; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); gap: 1rem; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; min-width: 0; }
figcaption { color: var(--muted); font-size: 0.9rem; padding: 0 0.5rem 0.25rem; }
.chart { width: 100%; height: 420px; }
h3 { font-size: 1.05rem; margin: 1.75rem 0 0.25rem; }
.caption { color: var(--muted); font-size: 0.9rem; margin: 0 0 0.6rem; max-width: 62rem; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 380px), 1fr)); gap: 0.75rem; }
.multiples[style] { grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); }
@media (max-width: 900px) { .multiples[style] { grid-template-columns: 1fr; } }
figure.small h4 { font-size: 0.92rem; font-weight: 600; margin: 0.15rem 0.5rem 0; }
.chart.small { height: 300px; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.9rem; margin: 0 0 0.6rem; }
.legend i { display: inline-block; width: 1.6rem; height: 3px; vertical-align: middle; margin-right: 0.4rem; }
.legend i.dotted { height: 0; border-top: 3px dotted #555; }
th.text, td.text { text-align: left; }
tr.group td { border-top: 2px solid #c3cad6; }
.table-wrap.tall { max-height: 34rem; overflow: auto; }
.table-wrap.tall th { position: sticky; top: 0; z-index: 1; }
section.scenario { margin-top: 2rem; }
section.scenario > .table-wrap, section.scenario > figure, section.scenario > .charts, section.scenario > details { margin-bottom: 0.9rem; }
.verdict.good { max-width: 60rem; border-left: 4px solid #2a9d6f; padding: 0.4rem 0.75rem; background: #eef8f3; }
td.bad { color: #b02a2a; font-weight: 600; }
td.good { color: #1f7a55; }
tr.warn td { background: #fff7ec; }
tr.chosen td { background: #f1f5fd; }
td.wrap { white-space: normal; min-width: 16rem; max-width: 34rem; }
tfoot td { font-weight: 600; border-top: 2px solid #c3cad6; }
details { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; }
details > summary { cursor: pointer; margin-bottom: 0.25rem; }
details .table-wrap { border: none; }
ul.note { padding-left: 1.2rem; }
`;
