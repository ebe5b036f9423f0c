/**
 * Entry of `semwidget/static/render.js`: a plain script (no DOM, no timers) that defines global
 * functions for the Python side to call in an embedded V8 (mini-racer):
 *
 *   semwidgetRenderSVG(stateJSON) -> SVG string
 *   semwidgetLayoutSync(stateJSON) -> positions JSON `{name: {x, y}}`
 *   semwidgetLayout(stateJSON)     -> Promise of the same string
 *   semwidgetEmit(tableJSON)       -> lavaan syntax of the table
 */
import { emit } from "../model/emit";
import { normalizeState, toRow } from "../model/state";
import { autoLayout } from "../layout/auto";
import { mergeLayout } from "../layout/merge";
import { renderSVG } from "./svg";

function layoutJSON(stateJSON: string): string {
  const st = normalizeState(JSON.parse(stateJSON));
  // `{"relayout": true}` asks for a fresh layout, ignoring the positions in the state.
  const fresh = (JSON.parse(stateJSON) as { relayout?: boolean }).relayout === true;
  return JSON.stringify(fresh ? autoLayout(st) : mergeLayout(st.layout, st));
}

const g = globalThis as Record<string, unknown>;
g.semwidgetRenderSVG = (stateJSON: string): string => renderSVG(normalizeState(JSON.parse(stateJSON)));
g.semwidgetLayoutSync = layoutJSON;
g.semwidgetLayout = (stateJSON: string): Promise<string> => {
  try {
    return Promise.resolve(layoutJSON(stateJSON));
  } catch (e) {
    return Promise.reject(e);
  }
};
g.semwidgetEmit = (tableJSON: string): string => {
  const rows = JSON.parse(tableJSON) as unknown[];
  return emit(Array.isArray(rows) ? rows.map(toRow) : []);
};
