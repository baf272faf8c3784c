import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** The repository's Markdown pages: the README, docs/ and the READMEs beside configs and results. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'configs/traces/README.md',
  'results/README.md',
];

/** Markdown without its fenced code blocks and inline code, where a bracket is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The targets of inline links `[text](target)`, without an optional title. */
function linkTargets(markdown: string): string[] {
  const out: string[] = [];
  for (const m of prose(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push(m[1]!);
  return out;
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutCode = markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '');
  for (const m of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

describe('links in the README and docs/', () => {
  for (const page of PAGES) {
    it(`every relative link in ${page} reaches a file, and every anchor a heading`, () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      const broken: string[] = [];
      for (const target of linkTargets(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not the repository's
        const [path, anchor] = target.split('#', 2) as [string, string | undefined];
        const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURIComponent(path));
        if (relative(ROOT, file).startsWith('..') || !existsSync(file)) {
          broken.push(`${target}: no such file in the repository`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!file.endsWith('.md') || statSync(file).isDirectory()) {
          broken.push(`${target}: an anchor into a file that is not a Markdown page`);
          continue;
        }
        if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no heading with that anchor`);
      }
      expect(broken).toEqual([]);
    });
  }

  it('the README links every page of docs/', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const linked = new Set(linkTargets(readme).map((t) => t.split('#')[0]));
    const missing = PAGES.filter((p) => p.startsWith('docs/') && !linked.has(p));
    expect(missing).toEqual([]);
  });

  it('the anchor rule matches GitHub on the headings these pages use', () => {
    expect([...anchorsOf('## Leftover keys and `shardsim clean`\n### Crashes: shard processes and the controller\n## A\n## A\n')]).toEqual([
      'leftover-keys-and-shardsim-clean',
      'crashes-shard-processes-and-the-controller',
      'a',
      'a-1',
    ]);
  });
});

/** Files of the repository's own folders (no dependencies, build output or results). */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|md|ya?ml|json)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

describe('paths in the repository', () => {
  it('no page, config, source or test names an absolute path of one machine', () => {
    // Data outside the repository comes from $SHARDSIM_SHARED_DATA or ../shared/data (test/helpers/shared-data.ts).
    const files = ['README.md', ...['docs', 'configs', 'simulator', 'shards', 'crosslink', 'bench', 'test'].flatMap(sourceFiles)];
    const machinePath = /(?:^|[\s'"`(=])\/(?:work|home|Users|mnt|srv)\/[\w.-]/m;
    const named = files.filter((f) => machinePath.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(named).toEqual([]);
  });
});
