/**
 * Picking an indirect effect on the diagram: click X then Y, or shift-click a chain of variables
 * along regression arrows (X -> M -> ... -> Y) and press Enter. Pure: each step takes the picks
 * so far and returns the new picks, a message for the kernel, or a refusal sentence.
 */
import type { TableRow } from "../model/state";

export type IndirectMessage =
  | { type: "indirect"; x: string; y: string }
  | { type: "indirect"; chain: string[] };

export type PickStep =
  /** Still picking: the picks so far and a prompt for the status line. */
  | { kind: "pending"; picks: string[]; prompt: string }
  /** Done: send `msg` to the kernel. */
  | { kind: "send"; picks: string[]; msg: IndirectMessage }
  /** Not accepted; `picks` are unchanged. */
  | { kind: "refused"; picks: string[]; message: string };

/** True when the model regresses `to` on `from` (a row `to ~ from`). */
export function regresses(table: TableRow[], from: string, to: string): boolean {
  return table.some((r) => r.op === "~" && r.lhs === to && r.rhs === from);
}

function prompt(picks: string[]): string {
  if (picks.length === 0) return "Indirect effect: click the predictor X";
  if (picks.length === 1) {
    return `Indirect effect of ${picks[0]}: click the outcome Y (or shift-click the next variable of a chain)`;
  }
  return `Chain ${picks.join(" \u2192 ")}: shift-click the next variable, or press Enter`;
}

function pending(picks: string[]): PickStep {
  return { kind: "pending", picks, prompt: prompt(picks) };
}

/** Start picking (the tool was switched on). */
export function startPick(): PickStep {
  return pending([]);
}

/** A click on node `node` (with or without Shift) given the picks so far. */
export function pickNode(picks: string[], node: string, shift: boolean, table: TableRow[]): PickStep {
  const last = picks[picks.length - 1];
  if (last === node) return pending(picks.slice(0, -1)); // a second click takes a pick back
  if (picks.length === 0) return pending([node]);
  if (picks.includes(node)) {
    return { kind: "refused", picks, message: `${node} is already in the chain ${picks.join(" \u2192 ")}.` };
  }
  if (picks.length === 1 && !shift) return { kind: "send", picks: [], msg: { type: "indirect", x: picks[0]!, y: node } };
  // Extending a chain: each step must follow a regression arrow.
  if (!regresses(table, last!, node)) {
    return {
      kind: "refused",
      picks,
      message: `${last} \u2192 ${node} is not a regression in the model (no "${node} ~ ${last}"): a chain follows the regression arrows.`,
    };
  }
  const next = [...picks, node];
  // A plain click ends a chain that has been started with shift-clicks.
  return shift ? pending(next) : { kind: "send", picks: [], msg: { type: "indirect", chain: next } };
}

/** Enter: send the chain (three or more variables) or the X, Y pair. */
export function finishPick(picks: string[]): PickStep {
  if (picks.length >= 3) return { kind: "send", picks: [], msg: { type: "indirect", chain: [...picks] } };
  if (picks.length === 2) return { kind: "send", picks: [], msg: { type: "indirect", x: picks[0]!, y: picks[1]! } };
  return { kind: "refused", picks, message: "Pick the predictor X and the outcome Y first (or a chain X, M, Y with Shift)." };
}
