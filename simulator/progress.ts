/**
 * A one-line progress bar with ETA on stderr, redrawn in place. Only on a
 * TTY: in CI logs and pipes it would be noise.
 */
import { performance } from 'node:perf_hooks';

export class ProgressBar {
  private readonly t0 = performance.now();
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  static enabled(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
    return !quiet && stream.isTTY === true;
  }

  /** `done` out of `total` units of work; `label` describes the current step. */
  update(done: number, total: number, label: string): void {
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < total) return;
    this.lastDraw = now;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.t0) / 1000;
    const eta = frac > 0 ? elapsed * (1 / frac - 1) : Number.NaN;
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    // ETA first: on a narrow terminal the label is what gets cut.
    const line = `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  eta ${fmt(eta)}  elapsed ${fmt(elapsed)}  ${label}`;
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(cols - 1)}`);
  }

  done(): void {
    const cols = this.stream.columns ?? 100;
    this.stream.write(`\r${' '.repeat(cols - 1)}\r`);
  }
}

function fmt(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
