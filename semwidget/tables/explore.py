"""Item-level exploration before a CFA: what papers report from SPSS.

Descriptives, Cronbach's α with α-if-item-deleted, the Kaiser–Meyer–Olkin measure of sampling
adequacy (Kaiser, 1974; overall and per item), Bartlett's (1950) test of sphericity, the
eigenvalues of the correlation matrix with Horn's (1965) parallel analysis, and an exploratory
factor analysis (minres, varimax or oblimin rotation) by ``factor_analyzer``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from semwidget.errors import DataError, ModelSpecError
from semwidget.tables.reliability import cronbach_alpha


@dataclass
class Exploration:
    """The result of :func:`explore`.

    Attributes
    ----------
    descriptives : DataFrame
        Per item: ``n mean sd min max skew kurtosis`` (excess kurtosis).
    alpha : float
        Cronbach's α of all items.
    item_total : DataFrame
        Per item: ``corrected_item_total`` correlation and ``alpha_if_deleted``.
    kmo : float
        Overall KMO.
    kmo_items : Series
        KMO per item.
    bartlett : dict
        ``chi2``, ``df``, ``pvalue``.
    eigenvalues : DataFrame
        ``eigenvalue``, ``parallel`` (mean eigenvalue of random data, 95th percentile in
        ``parallel_95``), ``explained`` and ``cumulative`` shares.
    n_factors_kaiser, n_factors_parallel : int
        Factors retained by eigenvalue > 1 and by parallel analysis.
    loadings : DataFrame
        Rotated EFA loadings (items × factors).
    communalities : Series
    rotation : str
    factor_correlations : DataFrame or None
        For oblique rotations.
    """

    descriptives: pd.DataFrame
    alpha: float
    item_total: pd.DataFrame
    kmo: float
    kmo_items: pd.Series
    bartlett: dict[str, float]
    eigenvalues: pd.DataFrame
    n_factors_kaiser: int
    n_factors_parallel: int
    loadings: pd.DataFrame
    communalities: pd.Series
    rotation: str
    factor_correlations: pd.DataFrame | None = None

    def _repr_html_(self) -> str:
        b = self.bartlett
        head = (f"<p>Cronbach's α = {self.alpha:.3f}; KMO = {self.kmo:.3f}; Bartlett χ²("
                f"{b['df']:.0f}) = {b['chi2']:.2f}, p = {b['pvalue']:.3g}; factors: "
                f"{self.n_factors_kaiser} (eigenvalue &gt; 1), {self.n_factors_parallel} "
                "(parallel analysis)</p>")
        return head + self.loadings.round(3).to_html()


def kmo(cor: np.ndarray) -> tuple[float, np.ndarray]:
    """Overall and per-item KMO from a correlation matrix (partial correlations by inversion)."""
    inv = np.linalg.inv(cor)
    d = np.sqrt(np.diag(inv))
    partial = -inv / np.outer(d, d)
    r2 = cor ** 2
    p2 = partial ** 2
    np.fill_diagonal(r2, 0.0)
    np.fill_diagonal(p2, 0.0)
    items = r2.sum(axis=0) / (r2.sum(axis=0) + p2.sum(axis=0))
    return float(r2.sum() / (r2.sum() + p2.sum())), items


def bartlett(cor: np.ndarray, n: int) -> dict[str, float]:
    """Bartlett's test that the correlation matrix is an identity matrix."""
    p = cor.shape[0]
    _, logdet = np.linalg.slogdet(cor)
    chi2 = -(n - 1 - (2 * p + 5) / 6.0) * logdet
    df = p * (p - 1) / 2.0
    return {"chi2": float(chi2), "df": float(df), "pvalue": float(stats.chi2.sf(chi2, df))}


def parallel_analysis(n: int, p: int, n_sims: int = 100, seed: int | None = 0
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Mean and 95th percentile eigenvalues of correlation matrices of normal noise."""
    rng = np.random.default_rng(seed)
    ev = np.empty((n_sims, p))
    for k in range(n_sims):
        Z = rng.standard_normal((n, p))
        ev[k] = np.sort(np.linalg.eigvalsh(np.corrcoef(Z, rowvar=False)))[::-1]
    return ev.mean(axis=0), np.quantile(ev, 0.95, axis=0)


def explore(data: pd.DataFrame, items: Sequence[str] | None = None, n_factors: int | None = None,
            rotation: str = "varimax", n_sims: int = 100, seed: int | None = 0) -> Exploration:
    """Descriptives, α, KMO, Bartlett, eigenvalues / parallel analysis and an EFA of items.

    Parameters
    ----------
    data : DataFrame
    items : list of str, optional
        Item columns (default: every numeric column).
    n_factors : int, optional
        Factors to extract (default: the parallel-analysis count, at least 1).
    rotation : {"varimax", "oblimin", "promax", "quartimax", None}
    n_sims : int
        Random data sets for parallel analysis.
    seed : int, optional
        Seed of the parallel analysis.
    """
    if not isinstance(data, pd.DataFrame):
        raise DataError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if items is None:
        items = [c for c in data.columns if pd.api.types.is_numeric_dtype(data[c])]
    items = list(items)
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise DataError(f"column '{missing[0]}' is not in the data", column=missing[0])
    if len(items) < 3:
        raise DataError(f"explore() needs at least 3 items, got {len(items)}")
    frame = data[items]
    for c in items:
        if not pd.api.types.is_numeric_dtype(frame[c]):
            raise DataError(f"column '{c}' is not numeric", column=c)
    frame = frame.dropna().astype(float)
    n = len(frame)
    if n <= len(items):
        raise DataError(f"{n} complete rows for {len(items)} items: need more rows than items")
    const = [c for c in items if frame[c].nunique() < 2]
    if const:
        raise DataError(f"column '{const[0]}' is constant", column=const[0])
    X = frame.to_numpy()
    desc = pd.DataFrame({
        "n": n, "mean": X.mean(axis=0), "sd": X.std(axis=0, ddof=1), "min": X.min(axis=0),
        "max": X.max(axis=0), "skew": stats.skew(X, axis=0, bias=False),
        "kurtosis": stats.kurtosis(X, axis=0, bias=False)}, index=items)
    cov = np.cov(X, rowvar=False)
    cor = np.corrcoef(X, rowvar=False)
    if np.linalg.matrix_rank(cor) < len(items):
        raise DataError("the item correlation matrix is singular (an item is a linear "
                        "combination of others); KMO and the EFA need it invertible")
    total = X.sum(axis=1)
    item_total = pd.DataFrame(index=items, columns=["corrected_item_total", "alpha_if_deleted"],
                              dtype=float)
    for k, c in enumerate(items):
        rest = np.delete(np.arange(len(items)), k)
        item_total.loc[c, "corrected_item_total"] = np.corrcoef(X[:, k], total - X[:, k])[0, 1]
        item_total.loc[c, "alpha_if_deleted"] = cronbach_alpha(cov[np.ix_(rest, rest)])
    k_all, k_items = kmo(cor)
    ev = np.sort(np.linalg.eigvalsh(cor))[::-1]
    pa_mean, pa_95 = parallel_analysis(n, len(items), n_sims, seed)
    eig = pd.DataFrame({"eigenvalue": ev, "parallel": pa_mean, "parallel_95": pa_95,
                        "explained": ev / len(items), "cumulative": np.cumsum(ev) / len(items)},
                       index=pd.RangeIndex(1, len(items) + 1, name="factor"))
    n_kaiser = int((ev > 1).sum())
    # Horn's rule: keep factors until the first eigenvalue below its random counterpart.
    below = np.flatnonzero(ev <= pa_mean)
    n_parallel = int(below[0]) if below.size else len(items)
    nf = n_factors if n_factors is not None else max(n_parallel, 1)
    if not 1 <= nf < len(items):
        raise ModelSpecError(f"n_factors={nf}: choose between 1 and {len(items) - 1}")
    loadings, comm, phi = _efa(frame, nf, rotation)
    return Exploration(descriptives=desc, alpha=cronbach_alpha(cov), item_total=item_total,
                       kmo=k_all, kmo_items=pd.Series(k_items, index=items, name="kmo"),
                       bartlett=bartlett(cor, n), eigenvalues=eig, n_factors_kaiser=n_kaiser,
                       n_factors_parallel=n_parallel, loadings=loadings, communalities=comm,
                       rotation=str(rotation), factor_correlations=phi)


def _efa(frame: pd.DataFrame, n_factors: int, rotation: str | None
         ) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame | None]:
    from factor_analyzer import FactorAnalyzer, Rotator

    rot = None if (n_factors == 1 or rotation in (None, "none")) else rotation
    fa = FactorAnalyzer(n_factors=n_factors, rotation=rot, method="minres")
    cor = np.corrcoef(frame.to_numpy(), rowvar=False)
    phi = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fa.fit(frame.to_numpy())
            load, phi = fa.loadings_, getattr(fa, "phi_", None)
        except TypeError:
            # factor_analyzer 0.5.1 calls scikit-learn's check_array with an argument
            # scikit-learn >= 1.8 removed; run its minres extraction and Rotator directly.
            load = fa._fit_factor_analysis(cor)
            if rot is not None:
                rotator = Rotator(method=rot)
                load = rotator.fit_transform(load)
                phi = rotator.phi_
            signs = np.sign(load.sum(axis=0))
            signs[signs == 0] = 1
            load = load * signs
            if phi is not None:
                phi = phi * np.outer(signs, signs)
            order = np.argsort((load ** 2).sum(axis=0))[::-1]
            load = load[:, order]
            if phi is not None:
                phi = phi[np.ix_(order, order)]
        except ValueError as err:
            raise ModelSpecError(f"the exploratory factor analysis failed: {err}") from err
    cols = [f"F{k + 1}" for k in range(n_factors)]
    loadings = pd.DataFrame(load, index=frame.columns, columns=cols)
    comm = pd.Series((load ** 2).sum(axis=1), index=frame.columns, name="communality")
    phi_frame = pd.DataFrame(phi, index=cols, columns=cols) if phi is not None else None
    return loadings, comm, phi_frame
