/**
 * The shapes of the diagram as geometry, shared by the scene builder, arc routing, label
 * placement, the renderer and the canvas. Types only, in their own module so that the scene and
 * the arc planner can both use them without importing each other.
 */
import type { EdgeResult, GhostSuggestion, Point } from "../model/state";
import type { NodeKind } from "../model/graph";
import type { Overlay } from "../model/compare";
import type { ProductTerm } from "../model/interaction";

export interface SceneNode {
  name: string;
  kind: NodeKind;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Text shown under the name, e.g. "R² = 0.60"; "" for none. */
  r2: string;
  /** An AMOS-style residual error circle of the variable `of` (not a node of the model). */
  errorOf?: string;
  /** Text drawn instead of the name: the display label, or the error's "e1". */
  text?: string;
  /** An ordinal indicator: its number of thresholds (0 before a fit tells it). */
  ordinal?: number;
  /** An error circle whose variance a warning points at. */
  flagged?: boolean;
  /** An error circle's residual variance, drawn beside it (AMOS): text, offset from the centre. */
  note?: { text: string; dx: number; dy: number; anchor: "start" | "middle"; w: number; h: number };
}

/** Scene name of the error circle of `name` (":" cannot occur in a variable name). */
export const errorName = (name: string): string => `\u03b5:${name}`;

export type EdgeShape = "arrow" | "cov" | "var";

export interface EdgeLabel {
  lines: string[];
  /** "coef" after a fit, "modifier" for fixed values and labels before it, "mi" on ghosts. */
  role: "coef" | "modifier" | "mi";
  w: number;
  h: number;
  /** Placement: parameter along the edge and signed offset along its normal. */
  t: number;
  off: number;
  x: number;
  y: number;
}

export interface SceneEdge {
  key: string;
  lhs: string;
  op: string;
  rhs: string;
  shape: EdgeShape;
  /** Drawn from `from` to `to` (arrowhead at `to`; both ends for covariances). */
  from: string;
  to: string;
  /** Side of the curve of a covariance (+1/-1) or outward angle of a variance loop. */
  bend: number;
  /** Covariances: extra turn (radians) of the departure at `from` / `to`, spreading arcs apart. */
  turnA?: number;
  turnB?: number;
  /** Covariances along a row or column: drawn as a nested arc on one side (see arcs.ts). */
  route?: ArcRoute;
  label: EdgeLabel | null;
  /** A suggested parameter (modification index), drawn dashed; not part of the model. */
  ghost?: GhostSuggestion;
  /** A fixed parameter (e.g. the first loading, fixed to 1): drawn dashed. */
  fixed?: boolean;
  /** Added by the fit's defaults (not written by the user); drawn lighter before the fit. */
  implied?: boolean;
  /** The fitted numbers of this edge, for its tooltip. */
  result?: EdgeResult;
  /** A warning points at this parameter (drawn in the warning colour). */
  flagged?: boolean;
  /** With `options.signs` after a fit: sign and size of the shown estimate. */
  tone?: { positive: boolean; size: number };
}

export interface Scene {
  nodes: SceneNode[];
  byName: Map<string, SceneNode>;
  edges: SceneEdge[];
  fitted: boolean;
  /** The estimates are of the model before the last edit (kept, dimmed, until the refit). */
  stale: boolean;
  /** Variables a warning of the fit or of the model check names (drawn flagged). */
  flagged: ReadonlySet<string>;
  /** Browser view: the diff of two compared versions and the local-fit links (render/overlay.ts). */
  overlay?: Overlay;
  /** Product terms (`y ~ a:b`), drawn as a dot on the path `a -> y` (layout/moderation.ts). */
  moderations?: ModerationMark[];
}

export interface ModerationMark extends ProductTerm {
  /** The dot, on the moderated path. */
  dot: Point;
  /** Start of the moderator's dashed arrow (on the moderator's outline). */
  from: Point;
  /** The moderator's dashed arrow to the dot and its arrowhead (SVG paths). */
  d: string;
  heads: string;
  label: EdgeLabel | null;
}

export interface EdgeGeom {
  /** Path of the line itself. */
  d: string;
  /** Path of the arrowhead(s). */
  heads: string;
  /** Point and unit normal at parameter t in [0, 1] along the visible part. */
  at(t: number): { p: Point; n: Point };
  /** Straight segments approximating the edge (for label/edge crossing tests). */
  poly: Point[];
}

export interface ArcRoute {
  /** Unit axis the arc bulges along: (0, -1) up, (0, 1) down, (-1, 0) left, (1, 0) right. */
  dx: number;
  dy: number;
  /** Attachment offsets along the side (axis u = (-dy, dx)) from the centres of `from` / `to`. */
  offA: number;
  offB: number;
  /** Apex distance beyond the farther outer side of the two nodes. */
  lift: number;
}
