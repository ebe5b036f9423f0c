/**
 * The group selector of a multigroup fit: a `<select>` in the toolbar listing `results.groups`.
 * Choosing a group asks Python (`{"type": "group", "group": label}`) to put that group's
 * estimates into `results`; the diagram then redraws as after any fit. The last option, "all
 * groups", draws every group's value on each edge (`0.34 | 0.52`). Hidden without groups.
 */
import type { Results } from "../model/state";
import { el } from "./dom";

/** The value Python reads as "every group" (`widget.state.ALL_GROUPS`). */
export const ALL_GROUPS = "all groups";

export class GroupSelector {
  readonly el: HTMLElement;
  private readonly select: HTMLSelectElement;
  private shown = "";

  constructor(doc: Document, choose: (group: string) => void) {
    this.select = el(doc, "select", {
      className: "semw-group-select",
      attrs: { "data-action": "group", "aria-label": "Group shown on the diagram" },
    });
    this.select.addEventListener("change", () => choose(this.select.value));
    this.el = el(doc, "label", { className: "semw-group", text: "Group " }, this.select);
    this.el.hidden = true;
  }

  /** Show the groups of `results` (if any) with the drawn group selected. */
  show(results: Results | null): void {
    const groups = Array.isArray(results?.groups) ? results!.groups : [];
    this.el.hidden = groups.length < 2;
    const key = groups.join("\u0000");
    if (key !== this.shown) {
      const names = groups.length > 1 ? [...groups, ALL_GROUPS] : groups;
      this.select.replaceChildren(...names.map((g) => {
        const o = this.select.ownerDocument.createElement("option");
        o.value = g;
        o.textContent = g;
        return o;
      }));
      this.shown = key;
    }
    if (typeof results?.group === "string") this.select.value = results.group;
  }
}
