"""One PLS fit after the model is read: data, estimation, bootstrap, the result tables.

The stages live in their own modules: ``model`` (blocks from the parameter table), ``data``
(missing data, standardization), ``estimate`` (the batched PLS algorithm and PLSc),
``quality`` (reliability, HTMT, VIF, f², SRMR, effects), ``model_fit`` (SmartPLS's fit
measures), ``bootstrap`` (batched resampling) and ``result`` (the result object). The public
entry, which also routes groups, product terms and higher-order constructs, is
:func:`semwidget.pls.fit.fit_pls`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from semwidget.errors import DataError, ModelSpecError
from semwidget.pls.bootstrap import (
    ResampleStats,
    StatLayout,
    apply_sign_change,
    run_bootstrap,
    statistics,
    summarize,
)
from semwidget.pls.data import prepare_data
from semwidget.pls.estimate import SCHEMES, correlation, derive, fit_weights
from semwidget.pls.model import BlockIndex, PLSModel, build_model
from semwidget.pls.model_fit import exact_fit, fit_arrays, fit_table
from semwidget.pls.quality import (
    cronbach_alpha,
    effect_paths,
    f_squared,
    htmt,
    inner_vif,
    outer_vif,
    rho_c_ave,
    srmr,
)
from semwidget.pls.result import BOOT_COLUMNS, ESTIMATE_COLUMNS, PLSResult

__all__ = ["PLSResult", "check_options", "estimate_prepared", "fit_plain", "stat_layout"]


def fit_plain(
    table: pd.DataFrame,
    data: pd.DataFrame,
    options: dict[str, Any],
    *,
    progress: bool | None = None,
) -> PLSResult:
    """Fit one PLS model (no groups, product terms or higher-order constructs).

    ``options`` are :func:`semwidget.pls.fit.fit_pls`'s, checked by :func:`check_options`.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    spec = build_model(table, [str(c) for c in data.columns])
    if not spec.constructs:
        raise ModelSpecError("the model defines no constructs: PLS needs at least one "
                             "'=~' or '<~' block and the paths between them")
    prepared = prepare_data(data, spec, missing=options["missing"],
                            missing_value=options["missing_value"])  # fmt: skip
    return estimate_prepared(
        spec, prepared.z, prepared.nobs, prepared.warnings, options, progress=progress
    )


def estimate_prepared(
    spec: PLSModel,
    z: np.ndarray,
    nobs: int,
    warnings: list[str],
    options: dict[str, Any],
    *,
    progress: bool | None = None,
    adjust: Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]] | None = None,
    resample_stats: ResampleStats | None = None,
    extra_per_case: int = 0,
) -> PLSResult:
    """Fit ``spec`` on standardized data ``z`` and bootstrap it (the stages after the data).

    ``options`` are :func:`fit_pls`'s (checked). ``adjust`` rescales the full-sample
    statistics (as ``resample_stats`` does each resample's); both serve the two-stage
    moderation, whose product term is not a unit-variance score.
    """
    scheme, consistent = options["scheme"], options["consistent"]
    max_iter, tol = options["max_iter"], options["tol"]
    bootstrap, boot_ci = options["bootstrap"], options["boot_ci"]
    index = BlockIndex.from_model(spec)
    s = correlation(z)
    _check_mode_b(s[0], spec, index)

    warnings = list(warnings)
    warnings += [f"ignored by the PLS engine: '{stmt}'" for stmt in spec.ignored]
    fit = fit_weights(s, index, scheme=scheme, tol=tol, max_iter=max_iter)
    if not fit.ok[0]:
        raise DataError("the PLS algorithm broke down (singular construct correlations)")
    converged = bool(fit.converged[0])
    if not converged:
        warnings.append(
            f"the PLS algorithm did not converge in {max_iter} iterations "
            f"(stop criterion {tol:g}); results are unreliable"
        )

    if consistent:
        warnings += _plsc_warnings(s, fit.weights, spec, index)
    layout = stat_layout(spec, index)
    kw = {"scheme": scheme, "tol": tol, "max_iter": max_iter, "consistent": consistent}
    est, _, _ = statistics(s, layout, **kw)
    if adjust is not None:
        est = adjust(est)
    est = {k: v[0] for k, v in est.items()}

    summaries: dict[str, dict[str, np.ndarray]] = {}
    samples: dict[str, np.ndarray] = {}
    n_boot = 0
    if bootstrap > 0:
        draws = run_bootstrap(
            z, layout, n_boot=bootstrap, seed=options["seed"], jackknife=boot_ci == "bca",
            progress=progress, resample_stats=resample_stats, extra_per_case=extra_per_case,
            **kw,
        )  # fmt: skip
        warnings += draws.warnings
        samples = apply_sign_change(draws.samples, est, options["sign_change"])
        n_boot = next(iter(samples.values())).shape[0]
        for name, values in samples.items():
            jack = draws.jackknife[name] if draws.jackknife is not None else None
            summaries[name] = summarize(est[name], values, nobs=nobs, ci=boot_ci, jack=jack)

    result = _assemble(
        spec, index, layout, s[0], z, fit.weights[0], est, summaries,
        nobs=nobs, consistent=consistent, converged=converged,
        iterations=int(fit.iterations[0]), warnings=warnings, n_boot=n_boot,
        options=dict(options),
    )  # fmt: skip
    result.boot_samples = samples
    if options.get("exact_fit"):
        reflective = np.array([consistent and not b for b in index.mode_b])
        result.exact_fit = exact_fit(
            z, index, reflective, n_boot=options["exact_fit"], seed=options["seed"],
            options=options, progress=progress,
        )  # fmt: skip
    return result


def check_options(
    scheme: str, bootstrap: int, boot_ci: str, sign_change: str, max_iter: int, tol: float,
    exact_fit: int = 0,
) -> None:
    if scheme not in SCHEMES:
        raise ModelSpecError(
            f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}", name="scheme"
        )
    if boot_ci not in ("percentile", "bca"):
        raise ModelSpecError(
            f"boot_ci must be 'percentile' or 'bca', not {boot_ci!r}", name="boot_ci"
        )
    if sign_change not in ("none", "individual"):
        raise ModelSpecError(
            f"sign_change must be 'none' or 'individual', not {sign_change!r}",
            name="sign_change",
        )
    for name, value in (("bootstrap", bootstrap), ("exact_fit", exact_fit)):
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise ModelSpecError(
                f"{name} must be a whole number >= 0, not {value!r}", name=name
            )
    if max_iter < 1 or not tol > 0:
        raise ModelSpecError("max_iter must be >= 1 and tol > 0", name="max_iter")


def _check_mode_b(s: np.ndarray, spec: PLSModel, index: BlockIndex) -> None:
    """Raise DataError naming the indicators of a perfectly collinear Mode B block."""
    for k in np.flatnonzero(index.mode_b):
        idx = index.block_items[k]
        values, vectors = np.linalg.eigh(s[np.ix_(idx, idx)])
        if values[0] > 1e-10 * max(1.0, values[-1]):
            continue
        null = vectors[:, 0]
        items = [spec.blocks[spec.constructs[k]][i] for i in np.flatnonzero(np.abs(null) > 1e-6)]
        construct = spec.constructs[k]
        raise DataError(
            f"the formative (<~) block '{construct}' is perfectly collinear: indicators "
            f"{', '.join(items)} are linearly dependent, so its regression weights are "
            "undefined; drop one of them or measure the construct with '=~'",
            column=items[0] if items else None,
        )


def _plsc_warnings(
    s: np.ndarray, v: np.ndarray, spec: PLSModel, index: BlockIndex
) -> list[str]:
    """Inadmissible PLSc solutions: rho_A outside (0, 1], corrected correlations beyond 1."""
    d = derive(s, v, index, consistent=True)
    out = []
    for k, c in enumerate(spec.constructs):
        rho = d.rho_a[0, k]
        if not 0.0 < rho <= 1.0:
            out.append(
                f"rho_A of '{c}' is {rho:.3f}, outside (0, 1]: the PLSc correction is "
                "inadmissible for this construct"
            )
    off = np.abs(d.cor[0][~np.eye(len(spec.constructs), dtype=bool)])
    if (off > 1.0).any():
        out.append("PLSc corrected construct correlations exceed 1 (inadmissible solution)")
    return out


def stat_layout(spec: PLSModel, index: BlockIndex) -> StatLayout:
    routes = effect_paths(index)
    k_count = len(spec.constructs)
    reach = {(int(a), int(b)) for a, b in index.path_pairs}
    reach |= {(r[0], r[-1]) for r in routes}
    pairs = np.array(sorted(reach), dtype=int).reshape(-1, 2)
    upper = np.array([(a, b) for a in range(k_count) for b in range(a + 1, k_count)], dtype=int)
    return StatLayout(index, routes, pairs, upper.reshape(-1, 2))


def _boot_frame(
    frame: pd.DataFrame, summary: dict[str, np.ndarray] | None, positions: list[int]
) -> pd.DataFrame:
    """Append bootstrap columns (or nothing) to ``frame`` row by row."""
    if summary is None:
        return frame
    for col in BOOT_COLUMNS:
        frame[col] = summary[col][positions] if positions else []
    return frame


def _assemble(
    spec: PLSModel,
    index: BlockIndex,
    layout: StatLayout,
    s: np.ndarray,
    z: np.ndarray,
    w: np.ndarray,
    est: dict[str, np.ndarray],
    summaries: dict[str, dict[str, np.ndarray]],
    *,
    nobs: int,
    consistent: bool,
    converged: bool,
    iterations: int,
    warnings: list[str],
    n_boot: int,
    options: dict[str, Any],
) -> PLSResult:
    names = spec.constructs
    items = spec.items
    item_pos = {item: i for i, item in enumerate(items)}
    path_pos = {pair: j for j, pair in enumerate(spec.paths)}

    d = derive(s[None], w[None], index, consistent=consistent)
    cor = d.cor[0]

    # estimates table, in the order the rows were written
    nan = np.nan
    records = []
    for lhs, op, rhs in spec.rows:
        if op == "~":
            stat, j = "paths", path_pos[(rhs, lhs)]
        else:
            stat, j = ("loadings" if op == "=~" else "weights"), item_pos[rhs]
        value = float(est[stat][j])
        boot = summaries.get(stat)
        rec = {
            "lhs": lhs, "op": op, "rhs": rhs, "label": spec.labels.get((lhs, op, rhs), ""),
            "est": value, "std_lv": value, "std_all": value,
        }  # fmt: skip
        for col in BOOT_COLUMNS:
            rec[col] = float(boot[col][j]) if boot else nan
        rec["z"] = rec["t"]
        records.append(rec)
    estimates = pd.DataFrame(records, columns=ESTIMATE_COLUMNS)
    for col in ESTIMATE_COLUMNS[4:]:
        estimates[col] = estimates[col].astype(float)

    owner = [names[k] for k in index.item_block]
    rows = list(range(len(items)))
    weights = _boot_frame(
        pd.DataFrame({"construct": owner, "item": items, "est": est["weights"]}),
        summaries.get("weights"), rows,
    )  # fmt: skip
    loadings = _boot_frame(
        pd.DataFrame({"construct": owner, "item": items, "est": est["loadings"]}),
        summaries.get("loadings"), rows,
    )  # fmt: skip

    endo = [names[t] for t, _ in index.endogenous]
    r2 = {c: float(v) for c, v in zip(endo, est["r2"], strict=True)}
    r2_adj = {}
    for (_, preds), c in zip(index.endogenous, endo, strict=True):
        r2_adj[c] = 1.0 - (1.0 - r2[c]) * (nobs - 1) / (nobs - preds.size - 1)

    indirect = _indirect_table(names, layout, est, summaries)

    f2 = pd.DataFrame(
        [(names[t], names[p], v) for t, p, v in f_squared(cor, index)],
        columns=["lhs", "rhs", "f2"],
    )
    vif_rows = [("inner", names[t], names[p], v) for t, p, v in inner_vif(cor, index)]
    vif_rows += [
        ("outer", owner[i], items[i], float(v)) for i, v in enumerate(outer_vif(s, index))
    ]
    vif = pd.DataFrame(vif_rows, columns=["kind", "lhs", "rhs", "vif"])

    construct_cor = pd.DataFrame(cor, index=names, columns=names)
    alpha = cronbach_alpha(s, index)
    rho_c, ave = rho_c_ave(est["loadings"], index)
    reliability = pd.DataFrame(
        {"alpha": alpha, "rho_a": d.rho_a[0], "rho_c": rho_c, "ave": ave},
        index=pd.Index(names, name="construct"),
    )
    h = htmt(s[None], index)[0]
    pairs = layout.htmt_pairs
    htmt_frame = _boot_frame(
        pd.DataFrame({
            "a": [names[a] for a, _ in pairs],
            "b": [names[b] for _, b in pairs],
            "est": [h[a, b] for a, b in pairs],
        }),
        summaries.get("htmt"), list(range(len(pairs))),
    )  # fmt: skip
    fl = np.where(np.tril(np.ones_like(cor), -1) > 0, cor, np.nan)
    fl[np.diag_indices_from(fl)] = np.sqrt(ave)
    fornell_larcker = pd.DataFrame(fl, index=names, columns=names)
    cross = pd.DataFrame(d.item_cor[0], index=items, columns=names)
    reflective = np.array([consistent and not b for b in index.mode_b])
    fit_srmr = srmr(s, est["loadings"], cor, index, reflective)
    model_fit = fit_table(fit_arrays(
        s[None], est["loadings"][None], cor[None], d.paths, index, reflective, nobs
    ))  # fmt: skip
    scores = pd.DataFrame(z @ (w[:, None] * index.membership), columns=names)
    return PLSResult(
        nobs=nobs, estimates=estimates, weights=weights, loadings=loadings, r2=r2,
        r2_adj=r2_adj, indirect=indirect, f2=f2, vif=vif, construct_cor=construct_cor,
        reliability=reliability, htmt=htmt_frame, fornell_larcker=fornell_larcker,
        cross_loadings=cross, srmr=fit_srmr, model_fit=model_fit, scores=scores,
        converged=converged,
        iterations=iterations, warnings=warnings, bootstrap=n_boot, options=options,
    )  # fmt: skip


def _indirect_table(
    names: list[str],
    layout: StatLayout,
    est: dict[str, np.ndarray],
    summaries: dict[str, dict[str, np.ndarray]],
) -> pd.DataFrame:
    """Specific indirect, total indirect and total effects, one row each."""
    rows: list[dict[str, Any]] = []

    def add(kind: str, stat: str, j: int, a: int, b: int, path: str) -> None:
        rec = {"from": names[a], "to": names[b], "type": kind, "path": path,
               "est": float(est[stat][j])}  # fmt: skip
        boot = summaries.get(stat)
        if boot is not None:
            rec.update({col: float(boot[col][j]) for col in BOOT_COLUMNS})
        rows.append(rec)

    for j, route in enumerate(layout.routes):
        add("specific", "specific", j, route[0], route[-1], " -> ".join(names[r] for r in route))
    with_route = {(r[0], r[-1]) for r in layout.routes}
    for j, (a, b) in enumerate(layout.effect_pairs):
        if (int(a), int(b)) in with_route:
            add("total_indirect", "indirect", j, a, b, "")
    for j, (a, b) in enumerate(layout.effect_pairs):
        add("total", "total", j, a, b, "")
    columns = ["from", "to", "type", "path", "est"] + (BOOT_COLUMNS if summaries else [])
    return pd.DataFrame(rows, columns=columns)
