"""The information matrix behind the standard errors: lavaan's ``information=`` option.

lavaan's defaults: the expected information for complete data, the observed information (the
Hessian of the log-likelihood) under FIML. ``information="observed"`` on complete data and
``information="expected"`` under FIML switch them; both use lavaan's ``h1.information =
"structured"`` (the h1 information at the model-implied moments).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from semwidget.cb import estimate as cbsem
from semwidget.cb.ram import RAMModel
from semwidget.errors import ModelSpecError

#: The words of lavaan's ``information=`` option that are fitted.
INFORMATION = ("expected", "observed")


def check_information(value: str | None) -> str | None:
    """``None`` (the estimator's default) or one of :data:`INFORMATION`, else a clear error."""
    if value is None:
        return None
    word = str(value).lower()
    if word not in INFORMATION:
        raise ModelSpecError(f"information={value!r} is not available: use 'expected' or "
                             "'observed' (lavaan's 'first.order' is not supported)",
                             name="information")
    return word


def ml_observed_vcov(model: RAMModel, theta: np.ndarray, S: np.ndarray, n: int,
                     mean: np.ndarray | None) -> np.ndarray | None:
    """Covariance of the ML estimates from the observed information (complete data).

    The observed information is half the Hessian of the ML discrepancy (with the means term
    when the model has a mean structure), by central differences of its analytic gradient.
    """
    m = mean if model.meanstructure else None

    def grad(th: np.ndarray) -> np.ndarray:
        imp = model.implied(th)
        inv = np.linalg.inv(imp.sigma)
        dsig, dmu = model.jacobian(th, imp)
        return cbsem._ml_gradient(imp, inv, S, m, dsig, dmu)

    return cbsem._inverse(cbsem.numeric_hessian(grad, theta) * (n / 2.0))


def fiml_expected_vcov(model: RAMModel, theta: np.ndarray, h1_info: np.ndarray, n: int
                       ) -> np.ndarray | None:
    """Covariance of the FIML estimates from the expected information.

    ``h1_info`` is the FIML information of the unrestricted model's (means, vech(Sigma)) at
    the implied moments (:func:`semwidget.cb.fiml.h1_information`); the model's information is
    its pull-back through the Jacobian of the implied moments.
    """
    imp = model.implied(theta)
    dsig, dmu = model.jacobian(theta, imp)
    r, c = cbsem.vech_indices(imp.sigma.shape[0])
    J = np.concatenate([dmu, dsig[:, r, c]], axis=1)
    return cbsem._inverse(n * (J @ h1_info @ J.T))


def refuse_with_robust(information: str | None, se: str, test: str, default: str,
                       robust_se: Any, scaled: Any) -> None:
    """A non-default information with robust SEs or a scaled test is not fitted: say so."""
    if information is None or information == default:
        return
    if se in robust_se or test in scaled:
        raise ModelSpecError(f"information='{information}' with robust standard errors or a "
                             f"scaled test (se='{se}', test='{test}') is not supported; use "
                             "se='standard' or lavaan's default information",
                             name="information")
