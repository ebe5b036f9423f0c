"""Robust ML over several groups (MLR, MLM, MLMV with ``group=``), complete data.

lavaan weighs each group by ``f_g = n_g / N``: the information matrices add up as
``sum_g f_g Delta_g' W_g Delta_g`` (expected) or ``sum_g f_g H_g`` (observed), the meat as
``sum_g f_g Delta_g' W_g Gamma_g W_g Delta_g`` (or the groups' first-order information), and
the scaled tests use ``U Gamma`` over all groups' moments at once, with ``Gamma_g / f_g``.
All of that is the single-group algebra of :mod:`semwidget.cb.robust` on the groups' moments
stacked with those weights, so the same functions compute it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from semwidget.cb import robust
from semwidget.cb.blocks import block_diag
from semwidget.cb.multigroup import GroupData
from semwidget.cb.prepare import exo_names
from semwidget.cb.ram import Implied, RAMModel
from semwidget.errors import ModelSpecError
from semwidget.model.partable import roles


def _stack(moms: Sequence[robust.Moments], f: np.ndarray, own_parameters: bool = False
           ) -> robust.Moments:
    """The groups' moments as one :class:`robust.Moments` with lavaan's group weights.

    ``w`` and ``w_sample`` are ``f_g``-weighted, ``gamma`` is ``Gamma_g / f_g``; the
    residuals are folded into ``gamma_raw`` (``(Gamma_g + r_g r_g') / f_g``) so that the
    first-order information is the weighted sum of the groups' own, with no cross-group
    terms. ``own_parameters``: each group has its own parameters (the baseline models), so
    the Jacobian is block-diagonal rather than stacked.
    """
    raw = [(m.gamma_raw + np.outer(m.resid, m.resid)) / fg for m, fg in zip(moms, f,
                                                                            strict=True)]
    return robust.Moments(
        delta=(block_diag(*[m.delta for m in moms]) if own_parameters
               else np.vstack([m.delta for m in moms])),
        w=block_diag(*[fg * m.w for m, fg in zip(moms, f, strict=True)]),
        w_sample=block_diag(*[fg * m.w_sample for m, fg in zip(moms, f, strict=True)]),
        gamma=block_diag(*[m.gamma / fg for m, fg in zip(moms, f, strict=True)]),
        resid=np.zeros(sum(len(m.resid) for m in moms)),
        keep=np.concatenate([m.keep for m in moms]),
        gamma_raw=block_diag(*raw))


def robust_groups(se: str, test: str, models: Sequence[RAMModel], theta: np.ndarray,
                  imps: Sequence[Implied], rows: Sequence[np.ndarray],
                  data: Sequence[GroupData], subs: Sequence[pd.DataFrame], ov: list[str],
                  measures: dict[str, float]
                  ) -> tuple[np.ndarray | None, dict[str, float], robust.Moments]:
    """Robust SEs and scaled tests of a multigroup ML fit on complete data.

    ``rows`` are each group's complete cases (in ``ov`` order). Returns the sandwich
    covariance (``None`` unless ``se`` is robust), the measures with the scaled and robust
    ones added, and the stacked moments (kept for scaled difference tests).

    Raises
    ------
    ModelSpecError
        For ``test="yuan.bentler"`` (not built for groups), naming it.
    """
    if test == "yuan.bentler":
        raise ModelSpecError("test='yuan.bentler' with group= is not supported yet; use "
                             "estimator='MLR' (its Mplus variant) or 'MLM'")
    ng = np.array([d.n for d in data], dtype=float)
    n = int(ng.sum())
    f = ng / n
    xs = set(exo_names(subs[0]))
    is_x = np.array([v in xs for v in ov])
    is_ov_x = np.array([v in set(roles(subs[0]).ov_x) for v in ov])
    moms = [robust.moments(m, theta, imp, x, is_x)
            for m, imp, x in zip(models, imps, rows, strict=True)]
    mom = _stack(moms, f)
    H0 = None
    if se == "robust.huber.white" or test == "yuan.bentler.mplus":
        H0 = sum(fg * robust.observed_information(m, theta, d.S, d.mean)
                 for m, d, fg in zip(models, data, f, strict=True))
    vcov = robust.robust_vcov(se, mom, H0, n) if se in robust.ROBUST_SE else None
    if test not in robust.SCALED_TESTS:
        return vcov, measures, mom
    T, df = measures["chisq"], measures["df"]
    model_test = robust.scaled_test(test, T, df, mom, H0)
    base = _stack([robust.baseline_moments(d.S, m, is_x, is_ov_x)
                   for d, m in zip(data, moms, strict=True)], f, own_parameters=True)
    H0b = base.delta.T @ base.w @ base.delta
    Tb, b_df = measures["baseline_chisq"], measures["baseline_df"]
    base_test = robust.scaled_test(test, Tb, b_df, base, H0b)
    return vcov, {**measures, **robust.scaled_measures(model_test, base_test, T, df, Tb, b_df,
                                                       n, len(data))}, mom
