/**
 * HTML pieces the scenario sections share: escaping, the embedded JSON, and
 * plain tables. page.ts keeps its own private copies of the first two; these
 * follow the same rules, so the section markup is as safe as the page's.
 */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON for a <script type="application/json"> element: `<` only occurs
 * inside JSON strings, where `\/` and `\u0021` are valid escapes, so the text
 * parses back unchanged while the HTML parser never sees `</script` or `<!--`.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/<\//g, '<\\/').replace(/<!--/g, '<\\u0021--');
}

/** A table cell: text (escaped), with classes; `text` cells are left-aligned. */
export interface Cell {
  readonly text: string;
  readonly classes?: readonly string[];
}

export function cell(text: string, ...classes: string[]): Cell {
  return { text, classes };
}

function cellHtml(tag: 'td' | 'th', c: Cell | string): string {
  const { text, classes } = typeof c === 'string' ? { text: c, classes: [] } : c;
  const attr = classes !== undefined && classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
  return `<${tag}${attr}>${escapeHtml(text)}</${tag}>`;
}

/** A row and the classes of its <tr>. */
export interface Row {
  readonly cells: readonly (Cell | string)[];
  readonly classes?: readonly string[];
}

export function tableHtml(head: readonly (Cell | string)[], rows: readonly Row[], foot: readonly Row[] = []): string {
  const tr = (tag: 'td' | 'th', row: Row): string => {
    const attr = row.classes !== undefined && row.classes.length > 0 ? ` class="${row.classes.join(' ')}"` : '';
    return `<tr${attr}>${row.cells.map((c) => cellHtml(tag, c)).join('')}</tr>`;
  };
  return [
    '<div class="table-wrap"><table>',
    `<thead><tr>${head.map((c) => cellHtml('th', c)).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => tr('td', r)).join('\n')}</tbody>`,
    foot.length > 0 ? `<tfoot>${foot.map((r) => tr('td', r)).join('\n')}</tfoot>` : '',
    '</table></div>',
  ].join('\n');
}

/** A chart's figure: its div (stable id, class "chart" for the PNG export) and caption. */
export function figureHtml(id: string, caption: string, height?: number): string {
  const style = height === undefined ? '' : ` style="height:${Math.round(height)}px"`;
  return `<figure><div id="${escapeHtml(id)}" class="chart"${style}></div><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}
