"""``semwidget.fit``: one entry point for CB-SEM and PLS-SEM."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from semwidget import fit_measures as fm
from semwidget.data_prep import Moments, check_data, moments
from semwidget.engines import cbsem
from semwidget.engines.ram import RAMModel
from semwidget.errors import DataError, ModelSpecError
from semwidget.partable import MODEL_OPS, build, count_moments, observed_names, roles
from semwidget.results import (
    ESTIMATE_COLUMNS,
    FIT_ORDER,
    Z975,
    FitResult,
    defined_rows,
    r_squared,
    standardized,
)

MISSING = ("listwise", "fiml")


def _user_table(model: str | pd.DataFrame) -> pd.DataFrame:
    from semwidget.syntax import parse

    if isinstance(model, str):
        return parse(model)
    if isinstance(model, pd.DataFrame):
        needed = {"lhs", "op", "rhs", "free", "ustart", "label"}
        missing = needed - set(model.columns)
        if missing:
            raise ModelSpecError(
                f"the parameter table lacks the column(s) {sorted(missing)}")
        table = model.copy()
        if "user" in table.columns:
            table = table[table["user"] == 1]
        if "freed" not in table.columns:
            table["freed"] = 0
        table["label"] = table["label"].fillna("").astype(str)
        table["user"] = 1
        return table.reset_index(drop=True)
    raise ModelSpecError(
        f"model must be lavaan syntax (str) or a parameter table, not {type(model).__name__}")


def fit(model: str | pd.DataFrame, data: pd.DataFrame, *, engine: str = "sem",
        estimator: str = "ML", missing: str = "listwise", std_lv: bool = False,
        orthogonal: bool = False, fixed_x: bool = True, se: str = "standard",
        bootstrap: int | None = None, seed: int | None = None, n_jobs: int = 1,
        boot_ci: str = "perc", **options: Any) -> Any:
    """Fit a structural equation model.

    Parameters
    ----------
    model : str or DataFrame
        lavaan model syntax, or a parameter table (from :func:`semwidget.syntax.parse`).
    data : DataFrame
        One column per observed variable.
    engine : {"sem", "pls"}
        Covariance-based SEM (matches lavaan) or PLS-SEM (matches seminr/SmartPLS).
    estimator : {"ML", "GLS", "ULS"}
        CB-SEM estimator; ML is lavaan's default (chi-square = N * F_ML).
    missing : {"listwise", "fiml"}
        Drop incomplete rows, or full-information ML with a mean structure.
    std_lv : bool
        Identify latents by fixing their variances to 1 (all loadings free).
    orthogonal : bool
        Fix the default covariances among latent variables to 0.
    fixed_x : bool
        Treat observed exogenous covariates as fixed (lavaan's ``fixed.x``).
    se : {"standard", "bootstrap"}
        CB-SEM standard errors from the information matrix, or from ``bootstrap`` resamples
        (percentile, bias-corrected and BCa intervals; ML on complete data).
    bootstrap : int, optional
        Number of resamples. CB-SEM: used with ``se="bootstrap"`` (default 1000). PLS: any
        number > 0 bootstraps the paths, loadings, weights and HTMT (default none).
    seed : int, optional
        Seed of the bootstrap's random numbers.
    n_jobs : int
        Parallel workers for the CB-SEM bootstrap (joblib; a Dask backend works too).
    boot_ci : {"perc", "bc", "bca"}
        Which bootstrap interval goes into ``ci_lower``/``ci_upper``.
    **options
        PLS options when ``engine="pls"`` (see :func:`semwidget.engines.pls.fit_pls`).

    Returns
    -------
    FitResult or PLSResult
    """
    if engine == "pls":
        from semwidget.engines.pls import fit_pls

        if missing != "listwise":
            options.setdefault("missing", missing)
        if bootstrap is not None:
            options.setdefault("bootstrap", bootstrap)
        elif se == "bootstrap":
            options.setdefault("bootstrap", 1000)
        if seed is not None:
            options.setdefault("seed", seed)
        return fit_pls(model, data, **options)
    if engine != "sem":
        raise ModelSpecError(f"unknown engine {engine!r}: use 'sem' or 'pls'")
    if options:
        raise TypeError(
            f"fit() got unexpected keyword argument(s) for engine='sem': {sorted(options)}")
    est = str(estimator).upper()
    if est not in cbsem.ESTIMATORS:
        raise ModelSpecError(f"unknown estimator {estimator!r}: use one of ML, GLS, ULS")
    if missing not in MISSING:
        raise ModelSpecError(f"unknown missing-data option {missing!r}: use 'listwise' or "
                             "'fiml'")
    if missing == "fiml" and est != "ML":
        raise ModelSpecError("missing='fiml' needs estimator='ML'")
    user = _user_table(model)
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    # As lavaan: a model with intercepts (~1), or FIML, gets a mean structure.
    meanstructure = missing == "fiml" or bool((user["op"] == "~1").any())
    full = build(user, [str(c) for c in data.columns], std_lv=std_lv, orthogonal=orthogonal,
                 fixed_x=fixed_x, meanstructure=meanstructure)
    ov = observed_names(full)
    frame = check_data(data, ov)
    mom = moments(frame, missing)
    options_used = {"estimator": est, "missing": missing, "std_lv": std_lv,
                    "orthogonal": orthogonal, "fixed_x": fixed_x}
    if se not in ("standard", "bootstrap"):
        raise ModelSpecError(f"unknown se={se!r}: use 'standard' or 'bootstrap'")
    if missing == "fiml":
        from semwidget.engines.fiml import fit_fiml_table

        result = fit_fiml_table(full, ov, mom, frame, options_used)
    else:
        result = fit_complete(full, ov, mom, est, options_used, frame)
    if se == "bootstrap":
        from semwidget.bootstrap import bootstrap_result

        result = bootstrap_result(result, 1000 if bootstrap is None else bootstrap, seed=seed,
                                  n_jobs=n_jobs, ci=boot_ci)
    return result


def fill_exogenous(full: pd.DataFrame, ov: list[str], cov: np.ndarray,
                   mean: np.ndarray | None = None) -> pd.DataFrame:
    """Put the sample (co)variances and means of fixed exogenous covariates into ``ustart``."""
    exo = full.index[full["exo"] == 1]
    if len(exo) == 0:
        return full
    full = full.copy()
    pos = {v: k for k, v in enumerate(ov)}
    for i in exo:
        a, op, b = full.at[i, "lhs"], full.at[i, "op"], full.at[i, "rhs"]
        if op == "~~":
            full.at[i, "ustart"] = cov[pos[a], pos[b]]
        elif op == "~1" and mean is not None:
            full.at[i, "ustart"] = mean[pos[a]]
    return full


def user_starts(full: pd.DataFrame, model: RAMModel) -> np.ndarray:
    """Start values the user gave with ``start()`` or ``?``, by free parameter (NaN if none)."""
    out = np.full(model.n_par, np.nan)
    ustart = full["ustart"].to_numpy()
    for pos, tix in enumerate(model.table_index):
        f = model.pidx[pos]
        if f >= 0 and not np.isnan(ustart[tix]):
            out[f] = ustart[tix]
    return out


def exo_names(full: pd.DataFrame) -> set[str]:
    """Observed covariates whose (co)variances are fixed at their sample values (fixed.x)."""
    exo = full["exo"].to_numpy() == 1
    return set(full["lhs"].to_numpy()[exo]) if exo.any() else set()


def inequality_bounds(full: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Simple inequality constraints ``label > number`` / ``label < number`` by label."""
    out: dict[str, tuple[str, float]] = {}
    if not np.isin(full["op"].to_numpy(), ["<", ">"]).any():
        return out
    labels = set(full.loc[full["op"].isin(MODEL_OPS), "label"]) - {""}
    for lhs, op, rhs in full.loc[full["op"].isin(["<", ">"]), ["lhs", "op", "rhs"]].itertuples(
            index=False):
        a, b = str(lhs).strip(), str(rhs).strip()
        try:
            if a in labels:
                out[a] = (op, float(b))
                continue
            if b in labels:
                out[b] = ("<" if op == ">" else ">", float(a))
                continue
        except ValueError:
            pass
        raise ModelSpecError(
            f"constraint '{a} {op} {b}' is not supported: compare one parameter label with a "
            "number, e.g. 'a > 0'", name=a)
    return out


def _violated(full: pd.DataFrame, model: RAMModel, theta: np.ndarray,
              bounds: dict[str, tuple[str, float]]) -> dict[str, float]:
    out = {}
    if not bounds:
        return out
    vals = model.values(theta)
    for pos, tix in enumerate(model.table_index):
        lab = full.at[tix, "label"]
        if lab in bounds and lab not in out:
            op, v = bounds[lab]
            if (op == ">" and vals[pos] < v) or (op == "<" and vals[pos] > v):
                out[lab] = v
    return out


def renumber_free(free: np.ndarray) -> np.ndarray:
    """Dense free indices 1..k in first-appearance order (0 stays fixed)."""
    mapping: dict[int, int] = {}
    out = np.zeros(len(free), dtype=np.int64)
    for i, f in enumerate(free):
        if f > 0:
            out[i] = mapping.setdefault(int(f), len(mapping) + 1)
    return out


def check_identified(full: pd.DataFrame, n_par: int, n_moments: int) -> None:
    """Raise if there are more free parameters than sample moments."""
    if n_par > n_moments:
        raise ModelSpecError(
            f"the model is not identified: {n_par} free parameters, {n_moments} moments "
            f"(df = {n_moments - n_par}); fix or remove {n_par - n_moments} parameter(s)")


def fit_complete(full: pd.DataFrame, ov: list[str], mom: Moments, est: str,
                 options: dict[str, Any], frame: pd.DataFrame | None = None) -> FitResult:
    """ML / GLS / ULS on complete data (listwise)."""
    ms = bool((full["op"] == "~1").any())
    if ms and est != "ML":
        raise ModelSpecError(f"intercepts ('~ 1') are estimated with ML; {est} fits the "
                             "covariances only")
    full = fill_exogenous(full, ov, mom.cov, mom.mean)
    model = RAMModel.from_table(full, ov, meanstructure=ms)
    nx = len(exo_names(full))
    n_mom = count_moments(len(ov), nx, ms)
    mean = mom.mean if ms else None
    check_identified(full, model.n_par, n_mom)
    # lavaan's least-squares estimators (GLS, ULS) fit the unbiased (N - 1) covariance matrix.
    S = mom.cov if est == "ML" else mom.cov * mom.n / (mom.n - 1.0)
    theta0 = cbsem.start_values(model, S, user_starts(full, model))
    W = None if est == "ML" else cbsem.wls_weight(S, est)
    n_par = model.n_par
    bounds = inequality_bounds(full)
    while True:
        if est == "ML":
            res = cbsem.fit_ml(model, S, mom.n, theta0, mean=mean)
        else:
            res = cbsem.fit_wls(model, S, mom.n, theta0, W)
        if res.vcov is None:
            raise ModelSpecError(_unidentified_message(full, model, res.theta, S, est, W))
        active = _violated(full, model, res.theta, bounds)
        if not active:
            break
        # Active-set step: a violated bound becomes an equality (as lavaan reports it: the
        # parameter sits on its bound with SE 0), then the rest is refitted.
        full = full.copy()
        for label, value in active.items():
            full.loc[(full["label"] == label) & full["op"].isin(MODEL_OPS), ["free", "ustart"]] = \
                (0, value)
            bounds.pop(label)
        full["free"] = renumber_free(full["free"].to_numpy())
        old_theta = dict(zip(model.table_index, model.values(res.theta), strict=True))
        model = RAMModel.from_table(full, ov, meanstructure=ms)
        theta0 = np.zeros(model.n_par)
        for pos, tix in enumerate(model.table_index):
            if model.pidx[pos] >= 0:
                theta0[model.pidx[pos]] = old_theta[tix]
    imp = model.implied(res.theta)
    df = n_mom - n_par
    measures = complete_fit_measures(S, imp.sigma, mom.n, est, res.fmin, n_par, df,
                                     full, ov, W, mean=mean, mu=imp.mu if ms else None)
    if est != "ML":
        mom = Moments(mom.names, mom.n, S, mom.mean, mom.data)
    return assemble(full, model, res, imp, mom, measures, est, options, frame)


def _unidentified_message(full: pd.DataFrame, model: RAMModel, theta: np.ndarray,
                          S: np.ndarray, est: str, W: np.ndarray | None) -> str:
    """Name the parameter most involved in the singular direction of the information matrix."""
    dsig, _ = model.jacobian(theta)
    r, c = cbsem.vech_indices(S.shape[0])
    D = dsig[:, r, c].T
    info = D.T @ D
    vals, vecs = np.linalg.eigh(info)
    worst = int(np.argmax(np.abs(vecs[:, 0])))
    pos = int(np.flatnonzero(model.pidx == worst)[0])
    tix = model.table_index[pos]
    row = f"{full.at[tix, 'lhs']} {full.at[tix, 'op']} {full.at[tix, 'rhs']}"
    return ("the model is not identified: the information matrix is singular, so standard "
            f"errors cannot be computed; the parameter '{row}' cannot be told apart from "
            "others (fix it or add constraints)")


def complete_fit_measures(S: np.ndarray, sigma: np.ndarray, n: int, est: str, fmin: float,
                          npar: int, df: int, full: pd.DataFrame, ov: list[str],
                          W: np.ndarray | None, mean: np.ndarray | None = None,
                          mu: np.ndarray | None = None) -> dict[str, float]:
    """Every fit measure for a complete-data fit, with lavaan's formulas.

    ``mean`` and ``mu`` (sample and implied means) are given when the model has a mean
    structure; then SRMR, GFI and the log-likelihood include the means, as in lavaan.
    """
    out: dict[str, float] = {"npar": float(npar), "ntotal": float(n)}
    # lavaan scales least-squares statistics by N - 1 (they fit the unbiased covariance).
    chisq = n * fmin if est == "ML" else 2.0 * (n - 1) * fmin
    chisq = max(chisq, 0.0)
    out["chisq"] = chisq
    out["df"] = float(df)
    out["pvalue"] = float(stats.chi2.sf(chisq, df)) if df > 0 else math.nan
    out["chisq_df"] = chisq / df if df > 0 else math.nan
    b_chisq, b_df = baseline_complete(S, n, est, full, ov, W, means=mean is not None)
    out["baseline_chisq"] = b_chisq
    out["baseline_df"] = float(b_df)
    out["baseline_pvalue"] = float(stats.chi2.sf(b_chisq, b_df)) if b_df > 0 else math.nan
    out.update(fm.incremental(chisq, df, b_chisq, b_df))
    out.update(fm.rmsea_measures(chisq, df, n if est == "ML" else n - 1))
    out.update(fm.residual_measures(S, sigma, mean, mu))
    xs = exo_names(full)
    is_x = np.array([v in xs for v in ov])
    r, c = cbsem.vech_indices(S.shape[0])
    # lavaan leaves the moments among fixed covariates out of the fit (they are not modelled).
    keep = ~(is_x[r] & is_x[c])
    Wg = W if W is not None else cbsem.wls_weight(sigma, "GLS")
    Wg = Wg[np.ix_(keep, keep)]
    obs, imp_m = S[r, c][keep], sigma[r, c][keep]
    nel = len(r)
    if mean is not None and mu is not None:
        # the mean block is weighted by Sigma^-1, as lavaan's WLS.V for ML with means
        p = len(mean)
        block = np.zeros((p + len(obs), p + len(obs)))
        block[:p, :p] = np.linalg.inv(sigma)
        block[p:, p:] = Wg
        Wg, obs, imp_m, nel = block, np.concatenate([mean, obs]), np.concatenate([mu, imp_m]), \
            nel + p
    out.update(fm.gfi_measures(obs, imp_m, Wg, df, nel=nel))
    if est == "ML":
        # With fixed.x the likelihood is conditional on the covariates: drop their marginal part.
        xi = np.flatnonzero(is_x)
        lx = fm.normal_loglik(S[np.ix_(xi, xi)], S[np.ix_(xi, xi)], n) if len(xi) else 0.0
        logl = fm.normal_loglik(S, sigma, n, mean, mu) - lx
        out["logl"] = logl
        out["unrestricted_logl"] = fm.normal_loglik(S, S, n) - lx
        out.update(fm.information_criteria(logl, npar, n))
    else:
        for k in ("logl", "unrestricted_logl", "aic", "bic", "bic2"):
            out[k] = math.nan
    return {k: out[k] for k in FIT_ORDER if k in out}


def baseline_complete(S: np.ndarray, n: int, est: str, full: pd.DataFrame, ov: list[str],
                      W: np.ndarray | None, means: bool = False) -> tuple[float, int]:
    """Chi-square and df of lavaan's baseline model: independent variables, fixed-x saturated."""
    fixed = exo_names(full)
    # the baseline keeps the covariates' block saturated, fixed or not (as lavaan does)
    xs = set(roles(full).ov_x)
    p = len(ov)
    is_x = np.array([v in xs for v in ov])
    nx = int(is_x.sum())
    nx_fixed = len(fixed)
    free_var = np.flatnonzero(~is_x)
    n_x_free = 0 if nx_fixed else nx * (nx + 1) // 2
    # with a mean structure the baseline's means are free (saturated): they add no misfit
    b_df = count_moments(p, nx_fixed, means) - len(free_var) - n_x_free
    if means:
        b_df -= len(free_var) + (0 if nx_fixed else nx)
    if est == "ML":
        sig = np.diag(np.diag(S))
        xi = np.flatnonzero(is_x)
        sig[np.ix_(xi, xi)] = S[np.ix_(xi, xi)]
        sign, logdet = np.linalg.slogdet(sig)
        _, logdet_s = np.linalg.slogdet(S)
        f = logdet + float(np.sum(S * np.linalg.inv(sig))) - logdet_s - p
        return n * f, b_df
    # GLS/ULS: the baseline is linear in its free variances, so solve the normal equations.
    r, c = cbsem.vech_indices(p)
    s = S[r, c]
    fixed = np.zeros_like(s)
    xi_mask = is_x[r] & is_x[c]
    fixed[xi_mask] = s[xi_mask]
    M = np.zeros((len(s), len(free_var)))
    for k, v in enumerate(free_var):
        M[(r == v) & (c == v), k] = 1.0
    assert W is not None
    d = np.linalg.solve(M.T @ W @ M, M.T @ W @ (s - fixed))
    e = s - fixed - M @ d
    return float((n - 1) * (e @ W @ e)), b_df


def assemble(full: pd.DataFrame, model: RAMModel, res: cbsem.Estimate, imp: Any,
             mom: Moments, measures: dict[str, float], est: str, options: dict[str, Any],
             frame: pd.DataFrame | None) -> FitResult:
    """Merge estimates into the table and collect warnings."""
    values = model.values(res.theta)
    se_par = np.sqrt(np.clip(np.diag(res.vcov), 0.0, None)) if res.vcov is not None else None
    n_rows = len(full)
    est_col = np.full(n_rows, np.nan)
    se_col = np.full(n_rows, np.nan)
    std_lv_col = np.full(n_rows, np.nan)
    std_all_col = np.full(n_rows, np.nan)
    lv, al = standardized(model, imp, values)
    tix = model.table_index
    est_col[tix] = values
    se = np.zeros(len(values))
    free = model.pidx >= 0
    if se_par is not None:
        se[free] = se_par[model.pidx[free]]
    else:
        se[free] = np.nan
    se_col[tix] = se
    std_lv_col[tix] = lv
    std_all_col[tix] = al
    for i, (e, s, l_, a) in defined_rows(full, model, res.theta, values, lv, al,
                                         res.vcov).items():
        est_col[i], se_col[i], std_lv_col[i], std_all_col[i] = e, s, l_, a
    ops = full["op"].to_numpy()
    keep = np.isin(ops, ["=~", "~", "~~", "~1", ":="])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se_col > 0, est_col / se_col, np.nan)
    pval = 2.0 * stats.norm.sf(np.abs(z))
    is_fixed = (full["free"].to_numpy() == 0) & (ops != ":=")
    lo = np.where(is_fixed, est_col, est_col - Z975 * se_col)
    hi = np.where(is_fixed, est_col, est_col + Z975 * se_col)
    # Built column by column in one constructor each: repeated frame assignment is the
    # slowest part of a small fit.
    cols = {c: full[c].to_numpy() for c in full.columns}
    cols.update(est=est_col, se=np.where(is_fixed, 0.0, se_col), z=z, pvalue=pval,
                ci_lower=lo, ci_upper=hi, std_lv=std_lv_col, std_all=std_all_col)
    table = pd.DataFrame(cols)
    estimates = pd.DataFrame({c: cols[c][keep] for c in ESTIMATE_COLUMNS})
    warnings = model_warnings(model, imp, res)
    names = model.names[: model.n_obs]
    return FitResult(
        table=table,
        estimates=estimates,
        fit_measures=measures,
        r2=r_squared(model, imp),
        warnings=warnings,
        nobs=mom.n,
        sample_cov=pd.DataFrame(mom.cov, index=names, columns=names),
        implied_cov=pd.DataFrame(imp.sigma, index=names, columns=names),
        sample_mean=pd.Series(mom.mean, index=names) if model.meanstructure else None,
        implied_mean=pd.Series(imp.mu, index=names) if model.meanstructure else None,
        estimator=est,
        missing=options.get("missing", "listwise"),
        converged=res.converged,
        iterations=res.iterations,
        model=model,
        theta=res.theta,
        vcov=res.vcov,
        options=options,
        data=frame,
    )


def model_warnings(model: RAMModel, imp: Any, res: cbsem.Estimate) -> list[str]:
    """Non-convergence, negative variances (Heywood cases) and non-positive-definite matrices."""
    out = []
    if not res.converged:
        out.append(f"the optimizer did not converge after {res.iterations} iterations; "
                   "estimates are not trustworthy")
    p = model.n_obs
    for v in range(model.n_var):
        if imp.S[v, v] < 0:
            kind = "residual variance" if v < p else "variance"
            out.append(f"Heywood case: the {kind} of '{model.names[v]}' is negative "
                       f"({imp.S[v, v]:.3f})")
    psi = imp.S[p:, p:]
    if psi.size and np.all(np.diag(psi) >= 0):
        if np.linalg.eigvalsh(psi).min() < -1e-10:
            out.append("the covariance matrix of the latent variables is not positive definite")
    theta_m = imp.S[:p, :p]
    if np.all(np.diag(theta_m) >= 0) and np.linalg.eigvalsh(theta_m).min() < -1e-10:
        out.append("the residual covariance matrix of the observed variables is not "
                   "positive definite")
    return out
