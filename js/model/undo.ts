/**
 * Undo/redo of whole-model snapshots (syntax, layout, latents). Snapshots are small, so storing
 * them is simpler and safer than inverting each edit.
 */
import type { Labels, Layout, TableRow } from "./state";

export interface Snapshot {
  syntax: string;
  layout: Layout;
  latents: string[];
  /** Front-end cache so an undo redraws at once; Python re-parses `syntax` and confirms it. */
  extras?: string[];
  table?: TableRow[];
  /** Display labels (a label edit is undone like any other). */
  labels?: Labels;
}

export class UndoStack<T = Snapshot> {
  private past: T[] = [];
  private future: T[] = [];

  constructor(
    private readonly limit = 200,
    private readonly same: (a: T, b: T) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
  ) {}

  /** Record `before`, the state an edit is about to replace; clears the redo side. */
  push(before: T): void {
    const last = this.past[this.past.length - 1];
    if (last !== undefined && this.same(last, before)) return;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** Step back: returns the state to restore, given the current one, or null if none. */
  undo(current: T): T | null {
    const prev = this.past.pop();
    if (prev === undefined) return null;
    this.future.push(current);
    return prev;
  }

  /** Step forward again after an undo. */
  redo(current: T): T | null {
    const next = this.future.pop();
    if (next === undefined) return null;
    this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  clear(): void {
    this.past = [];
    this.future = [];
  }
}
