/**
 * The JSON the scenario sections (sections.ts) embed for the client: one
 * Plotly figure per chart div, computed whole in Node so the browser only
 * draws it. Types only, importing nothing that needs Node, so the client's
 * own program (tsconfig.client.json) checks against them too.
 */

/** A value Plotly takes in a trace or a layout, as JSON carries it. */
export type SpecValue = string | number | boolean | null | readonly SpecValue[] | { readonly [key: string]: SpecValue };

/** A Plotly trace or layout: any JSON object (the server side builds them; tests read them back). */
export type SpecObject = { readonly [key: string]: SpecValue };

export interface SectionChart {
  /** The chart div's id, `section-<name>`: stable, so PNG exports can name files by it. */
  readonly id: string;
  readonly data: readonly SpecObject[];
  readonly layout: SpecObject;
}

/** `<script type="application/json" id="shardsim-sections">`: every section chart of the page. */
export interface SectionsData {
  readonly charts: readonly SectionChart[];
}
