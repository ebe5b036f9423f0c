/**
 * The model tools of the editor that the kernel carries out: "Suggest paths" (modification
 * indices drawn as ghost edges, a click adds one and refits), the indirect-effect picker, the
 * note reporting what adding a path changed, and the list of defined effects. The editor owns
 * the toolbar and the canvas and forwards clicks and keys here; this class keeps the tools' state
 * and talks to the kernel through `send`.
 */
import { changeNote, readChange, readGhosts } from "../model/ghosts";
import type { Engine, GhostSuggestion, Results, TableRow } from "../model/state";
import { button, el } from "./dom";
import { effectRows, renderEffects } from "./effects";
import { type PickStep, finishPick, pickNode, startPick } from "./indirect";

/** What the tools need from the editor. */
export interface ToolHost {
  send(msg: Record<string, unknown>): void;
  status(msg: string): void;
  error(msg: string): void;
  /** Record an undo point: the kernel is about to rewrite the model. */
  checkpoint(): void;
  /** Show these nodes as picked (selected). */
  highlight(names: string[]): void;
  /** Leave the indirect-effect mode (the tool is done or cancelled). */
  exitIndirect(): void;
}

/** How many suggestions "Suggest paths" asks for. */
export const GHOST_COUNT = 5;

export class ModelTools {
  readonly modindicesButton: HTMLButtonElement;
  readonly indirectButton: HTMLButtonElement;
  /** The "Effects" list, placed under the diagram. */
  readonly effectsEl: HTMLElement;
  /** The note about the last added suggestion, placed in the fit bar area. */
  readonly noteEl: HTMLElement;
  private readonly noteText: HTMLElement;
  private picks: string[] = [];
  private hidden = false;
  private waitingForGhosts = false;
  private pendingGhost = "";
  private dismissed = "";
  private results: Results | null = null;

  constructor(doc: Document, private readonly host: ToolHost) {
    this.modindicesButton = button(doc, "modindices", "Suggest paths (modification indices)", "\u2727 Suggest",
      `Show the ${GHOST_COUNT} largest modification indices as dashed arrows; click one to add it`);
    this.modindicesButton.setAttribute("aria-pressed", "false");
    this.modindicesButton.addEventListener("click", () => this.toggleGhosts());
    this.indirectButton = button(doc, "indirect", "Indirect effect", "\u2933 Indirect",
      "Indirect effect: click X then Y, or shift-click a chain of variables and press Enter");
    this.indirectButton.setAttribute("aria-pressed", "false");
    this.effectsEl = el(doc, "div", { className: "semw-effects", attrs: { "aria-label": "Effects" } });
    this.effectsEl.hidden = true;
    this.noteText = el(doc, "span", { className: "semw-note-text" });
    const dismiss = button(doc, "dismiss-change", "Dismiss this note", "\u2715");
    dismiss.classList.add("semw-note-close");
    dismiss.addEventListener("click", () => this.dismissNote());
    this.noteEl = el(doc, "div", { className: "semw-note", attrs: { "data-role": "change", role: "status" } }, this.noteText, dismiss);
    this.noteEl.hidden = true;
  }

  // ---- modification indices --------------------------------------------------------------

  /** The suggestions to draw (none while hidden by the user). */
  ghosts(): GhostSuggestion[] {
    return this.hidden ? [] : readGhosts(this.results);
  }

  private canSuggest(engine: Engine): boolean {
    const r = this.results;
    return engine === "sem" && r?.engine === "sem" && typeof r.fit?.chisq === "number";
  }

  /** The toolbar button: ask the kernel for suggestions, or hide the ones shown. */
  toggleGhosts(): void {
    if (this.ghosts().length) {
      this.hidden = true;
      this.host.status("");
    } else if (readGhosts(this.results).length) {
      this.hidden = false;
    } else {
      this.hidden = false;
      this.waitingForGhosts = true;
      this.host.status("Computing modification indices\u2026");
      this.host.send({ type: "modindices", k: GHOST_COUNT });
    }
    this.onToggle?.();
  }

  /** Called after the ghosts' visibility changed locally (the editor redraws). */
  onToggle: (() => void) | null = null;

  /** A ghost was clicked (or activated by keyboard): add it to the model and refit. */
  addGhost(edge: string): void {
    if (this.pendingGhost) return; // one at a time: the first click is being fitted
    this.pendingGhost = edge;
    this.host.checkpoint();
    this.host.status(`Adding ${edge} and refitting\u2026`);
    this.host.send({ type: "add_ghost", edge });
  }

  // ---- indirect effects ----------------------------------------------------------------------

  /** The tool was switched on. */
  startIndirect(): void {
    this.apply(startPick());
  }

  /** The tool was switched off (Escape, another tool, or done). */
  stopIndirect(): void {
    if (this.picks.length || this.indirectButton.getAttribute("aria-pressed") === "true") this.host.status("");
    this.picks = [];
    this.host.highlight([]);
  }

  /** A node was clicked while the tool is on. */
  pick(node: string, shift: boolean, table: TableRow[]): void {
    this.apply(pickNode(this.picks, node, shift, table));
  }

  /** Enter while the tool is on. */
  finish(): void {
    this.apply(finishPick(this.picks));
  }

  private apply(step: PickStep): void {
    if (step.kind === "refused") {
      this.host.error(step.message);
      return;
    }
    this.host.error("");
    this.picks = step.picks;
    if (step.kind === "pending") {
      this.host.highlight(this.picks);
      this.host.status(step.prompt);
      return;
    }
    this.host.exitIndirect();
    this.host.checkpoint();
    const what = "chain" in step.msg ? step.msg.chain.join(" \u2192 ") : `${step.msg.x} \u2192 ${step.msg.y}`;
    this.host.status(`Writing the indirect effect ${what}\u2026`);
    this.host.send(step.msg);
  }

  // ---- results -------------------------------------------------------------------------------

  /** New `results` from the kernel. */
  setResults(results: Results | null): void {
    this.results = results;
    this.pendingGhost = "";
    if (Array.isArray(results?.ghosts)) this.hidden = false;
  }

  /** The kernel reported an error (e.g. a suggestion could not be fitted): accept clicks again. */
  kernelError(): void {
    this.pendingGhost = "";
    this.waitingForGhosts = false;
  }

  /** Refresh buttons, note and effects list; `drawn` = ghosts actually on the diagram. */
  update(table: TableRow[], engine: Engine, drawn: number): void {
    const ok = this.canSuggest(engine);
    this.modindicesButton.disabled = !ok && !this.ghosts().length;
    this.modindicesButton.setAttribute("aria-pressed", String(this.ghosts().length > 0));
    this.indirectButton.disabled = !table.some((r) => r.op === "~");
    if (this.waitingForGhosts && Array.isArray(this.results?.ghosts)) {
      this.waitingForGhosts = false;
      this.host.status(drawn
        ? `${drawn} suggested path${drawn > 1 ? "s" : ""} (dashed): click one to add it`
        : "No suggestions between the variables on the diagram");
    }
    const change = readChange(this.results);
    const note = change ? changeNote(change) : "";
    this.noteText.textContent = note;
    this.noteEl.hidden = note === "" || note === this.dismissed;
    renderEffects(this.effectsEl, effectRows(table, this.results));
  }

  private dismissNote(): void {
    this.dismissed = this.noteText.textContent ?? "";
    this.noteEl.hidden = true;
  }
}
