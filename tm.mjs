import { chromium } from 'playwright-core';
const T = () => performance.now().toFixed(0);
const t0 = performance.now();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium' });
console.log('launch', T());
const c = await b.newContext({ viewport: { width: 1280, height: 900 } });
const p = await c.newPage();
await p.goto('file:///tmp/rc-ci/latest/report.html', { waitUntil: 'load' });
console.log('loaded', T());
await p.waitForFunction(`[...document.querySelectorAll('div.chart[id]')].every((d) => d.querySelector('.main-svg') !== null)`, undefined, { polling: 100 });
console.log('drawn', T());
for (const id of ['chart-throughput','chart-latency','chart-cross']) { await p.locator('#'+id).screenshot({ animations: 'disabled' }); console.log('shot', id, T()); }
await b.close();
console.log('closed', T());
