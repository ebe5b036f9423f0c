"""Direct, specific indirect, total indirect and total effects between two variables.

Every directed path ``x → m1 → … → y`` through the model's directed effects (regressions and
loadings) is a specific indirect effect; its estimate is the product of the coefficients
along it (Alwin & Hauser, 1975). The standardized effect is the product of the completely
standardized coefficients (the scaling telescopes to ``sd(x) / sd(y)``). Standard errors use
the delta method with the model's covariance matrix of the estimates (Sobel, 1982); with a
bootstrap fit, percentile CIs come from the bootstrap draws as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from semwidget.cb.result import Z975
from semwidget.distributions import norm_ppf, norm_sf
from semwidget.errors import ModelSpecError

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

COLUMNS = ["effect", "path", "labels", "est", "se", "z", "pvalue", "ci_lower", "ci_upper",
           "std_lv", "std_all"]


def _edges(result: CBResult) -> dict[int, list[tuple[int, int]]]:
    """Directed edges by source variable: source -> [(target, model row position)]."""
    m = result.model
    out: dict[int, list[tuple[int, int]]] = {}
    for pos in np.flatnonzero(m.kind == 0):
        out.setdefault(int(m.row_j[pos]), []).append((int(m.row_i[pos]), int(pos)))
    return out


def paths(result: CBResult, x: str, y: str) -> list[list[int]]:
    """Every directed path from ``x`` to ``y`` as a list of model row positions."""
    m = result.model
    pos = {v: k for k, v in enumerate(m.names)}
    for v in (x, y):
        if v not in pos:
            raise ModelSpecError(f"'{v}' is not a variable of the model; variables are "
                                 f"{m.names}", name=v)
    if x == y:
        raise ModelSpecError(f"x and y are both '{x}': an effect needs two different variables",
                             name=x)
    edges = _edges(result)
    target = pos[y]
    found: list[list[int]] = []

    def walk(node: int, rows: list[int], visited: set[int]) -> None:
        for nxt, row in edges.get(node, []):
            if nxt in visited:
                raise ModelSpecError(
                    f"the model has a feedback loop through '{m.names[nxt]}': specific "
                    "indirect effects are not defined for non-recursive models", name=m.names[nxt])
            if nxt == target:
                found.append(rows + [row])
            else:
                walk(nxt, rows + [row], visited | {nxt})

    walk(pos[x], [], {pos[x]})
    return found


def _product_gradient(values: np.ndarray, rows: list[int], pidx: np.ndarray, n_par: int
                      ) -> np.ndarray:
    g = np.zeros(n_par)
    for k, r in enumerate(rows):
        if pidx[r] >= 0:
            g[pidx[r]] += float(np.prod([values[o] for j, o in enumerate(rows) if j != k]))
    return g


def indirect(result: CBResult, x: str, y: str, level: float = 0.95) -> pd.DataFrame:
    """Specific indirect, total indirect, direct and total effects of ``x`` on ``y``.

    Parameters
    ----------
    result : CBResult
        A fitted CB-SEM model.
    x, y : str
        Names of the cause and the outcome (observed or latent).
    level : float
        Confidence level of the CIs.

    Returns
    -------
    DataFrame
        One row per specific indirect path (``effect == "indirect"``), then ``"total indirect"``,
        ``"direct"`` and ``"total"``; columns ``effect path labels est se z pvalue ci_lower
        ci_upper std_lv std_all``. ``path`` reads ``x -> m -> y``; ``labels`` names the
        parameter labels along the path (e.g. ``a*b``) when every coefficient has one. With a
        bootstrap fit the CI is the bootstrap percentile interval and ``se`` the bootstrap SE.

    Raises
    ------
    ModelSpecError
        If a name is unknown, ``x == y``, or no directed path leads from ``x`` to ``y``.
    """
    m = result.model
    found = paths(result, x, y)
    if not found:
        raise ModelSpecError(f"there is no directed path from '{x}' to '{y}' in the model, so "
                             f"'{x}' has no effect on '{y}'", name=y)
    table = result.table
    tix = m.table_index
    values = m.values(result.theta)
    std_all = table["std_all"].to_numpy()[tix]
    std_lv = table["std_lv"].to_numpy()[tix]
    labels = table["label"].to_numpy()[tix]
    direct = [p for p in found if len(p) == 1]
    specific = [p for p in found if len(p) > 1]
    rows = []
    for kind, group in ([("indirect", [p]) for p in specific]
                        + [("total indirect", specific), ("direct", direct),
                           ("total", found)]):
        est = sum(float(np.prod(values[p])) for p in group)
        grad = sum((_product_gradient(values, p, m.pidx, m.n_par) for p in group),
                   np.zeros(m.n_par))
        s_all = sum(float(np.prod(std_all[p])) for p in group)
        s_lv = sum(float(np.prod(std_lv[p])) for p in group)
        se = float(np.sqrt(max(grad @ result.vcov @ grad, 0.0))) if result.vcov is not None \
            else np.nan
        path_txt = x if kind != "indirect" else " -> ".join(
            [x] + [m.names[m.row_i[r]] for r in group[0]])
        if kind == "indirect":
            labs = [str(labels[r]) for r in group[0]]
            lab = "*".join(labs) if all(labs) else ""
        else:
            path_txt = f"{x} -> {y}"
            lab = ""
        rows.append([kind, path_txt, lab, est, se, s_lv, s_all, group])
    draws = _bootstrap_effect_draws(result, [r[-1] for r in rows])
    q = (1 - level) / 2
    out = []
    for k, (kind, path_txt, lab, est, se, s_lv, s_all, _) in enumerate(rows):
        if draws is not None:
            d = draws[:, k]
            se = float(np.std(d, ddof=1))
            lo, hi = (float(v) for v in np.quantile(d, [q, 1 - q]))
        else:
            z_crit = Z975 if level == 0.95 else float(norm_ppf(1 - q))
            lo, hi = est - z_crit * se, est + z_crit * se
        z = est / se if se > 0 else np.nan
        p = float(2 * norm_sf(abs(z))) if np.isfinite(z) else np.nan
        out.append([kind, path_txt, lab, est, se, z, p, lo, hi, s_lv, s_all])
    frame = pd.DataFrame(out, columns=COLUMNS)
    if not direct:
        # no direct path in the model: the direct effect is fixed at zero
        d = frame["effect"] == "direct"
        frame.loc[d, ["est", "std_lv", "std_all", "ci_lower", "ci_upper"]] = 0.0
        frame.loc[d, ["se", "z", "pvalue"]] = np.nan
    if not specific:
        frame = frame[frame["effect"] != "total indirect"].reset_index(drop=True)
    frame.attrs["x"], frame.attrs["y"] = x, y
    frame.attrs["ci"] = "bootstrap percentile" if draws is not None else "delta method"
    return frame


def _bootstrap_effect_draws(result: CBResult, groups: list[list[list[int]]]
                            ) -> np.ndarray | None:
    boot = getattr(result, "bootstrap", None)
    if boot is None:
        return None
    m = result.model
    vals = boot.theta  # (B, n_par)
    fixed = np.broadcast_to(m.fixed, (len(vals), len(m.fixed))).copy()
    free = m.pidx >= 0
    fixed[:, free] = vals[:, m.pidx[free]]
    out = np.zeros((len(vals), len(groups)))
    for k, group in enumerate(groups):
        for p in group:
            out[:, k] += np.prod(fixed[:, p], axis=1)
    return out


def all_indirect(result: CBResult) -> pd.DataFrame:
    """:func:`indirect` for every pair of structural variables linked by an indirect path.

    Structural variables are those in regressions (``~``); paths into indicators are left out.
    """
    reg = result.table[result.table["op"] == "~"]
    names = list(dict.fromkeys([*reg["rhs"], *reg["lhs"]]))
    rows = []
    for x in names:
        for y in names:
            if x == y:
                continue
            found = paths(result, x, y)
            if any(len(p) > 1 for p in found):
                rows.append(indirect(result, x, y).assign(x=x, y=y))
    if not rows:
        return pd.DataFrame(columns=["x", "y", *COLUMNS])
    out = pd.concat(rows, ignore_index=True)
    return out[["x", "y", *COLUMNS]]
