"""The widget's PLS-SEM views: multigroup (MGA) payloads, interaction terms, PLSpredict.

- A multigroup PLS fit (``engine="pls", group=``) fills the same ``results`` keys as a CB-SEM
  multigroup fit (``groups``, ``group``, ``by_group``), so the one group selector drives both;
  it adds ``mga``: one row per pair of groups and path with the permutation, Henseler's PLS-MGA
  and the two t-test p-values, which the view's MGA table lists.
- A product term ``CLE ~ INT:GEN`` is a row of the model like any other; ``interactions`` tells
  the view which path it moderates (``INT -> CLE``), where the view draws it as a small dot, as
  SmartPLS does, instead of a node.
- PLSpredict runs in the kernel on a ``{"type": "pls_predict"}`` message and puts
  ``prediction`` (Q²_predict, RMSE and MAE per indicator, PLS and the LM benchmark) into
  ``results``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from semwidget.errors import ModelSpecError, SemWidgetError
from semwidget.widget import state as widget_state

#: The MGA columns the view's table shows (a subset of ``semwidget.pls.mga.MGA_COLUMNS``).
MGA_VIEW_COLUMNS = ("group_a", "group_b", "lhs", "rhs", "est_a", "est_b", "diff",
                    "p_permutation", "p_henseler_two_sided", "p_parametric", "p_welch")
_INTERACTION = ":"


def parse_syntax(text: str, engine: str) -> pd.DataFrame:
    """The user table of ``text``: lavaan's parser, or (PLS) the one that reads ``a:b`` terms.

    Raises
    ------
    ModelSyntaxError
        As the parser of that engine raises it.
    """
    if engine == "pls":
        from semwidget.pls.model import parse_model  # the PLS engine loads on first use

        return parse_model(text)
    from semwidget.model import parse

    return parse(text)


def interactions(table: Any) -> list[dict[str, str]]:
    """The product terms of a user table (records or a frame): each ``~`` row ``y ~ a:b``.

    Returns
    -------
    list of dict
        ``{"key": "y ~ a:b", "dv": y, "iv": a, "moderator": b}``, in table order; the path
        moderated is ``a -> y``.
    """
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else list(table)
    out = []
    for row in rows:
        rhs = str(row.get("rhs", ""))
        if str(row.get("op")) != "~" or _INTERACTION not in rhs:
            continue
        iv, _, moderator = rhs.partition(_INTERACTION)
        lhs = str(row["lhs"])
        out.append({"key": widget_state.edge_key(lhs, "~", rhs), "dv": lhs, "iv": iv,
                    "moderator": moderator})
    return out


def results_payload(result: Any, table: Any = ()) -> dict[str, Any]:
    """What the diagram shows after a fit (:func:`semwidget.widget.state.results_payload`),
    for multigroup PLS fits too, with ``interactions``: the product terms of ``table`` (the
    user table fitted, records or a frame; see :func:`interactions`).

    Returns
    -------
    dict
        A multigroup PLS fit: ``engine``, ``nobs`` (all groups), ``groups``, ``group`` (the
        first, drawn), ``by_group`` (``{label: {"edges", "r2", "nobs", "fit"}}``), the drawn group's
        ``edges``/``r2``/``fit`` (its SRMR), ``mga`` (records of :data:`MGA_VIEW_COLUMNS`),
        ``permutations``, ``warnings``.
    """
    groups = getattr(result, "groups", None)
    if getattr(result, "engine", "sem") != "pls" or not isinstance(groups, Mapping):
        return {**widget_state.results_payload(result), "interactions": interactions(table)}
    by_group: dict[str, dict[str, Any]] = {}
    for label, one in groups.items():
        view = widget_state.results_payload(one)
        by_group[str(label)] = {"edges": view["edges"], "r2": view["r2"], "nobs": view["nobs"],
                                "fit": view["fit"]}
    labels = list(by_group)
    first = labels[0]
    mga = result.mga
    records = [{c: widget_state.json_number(v) if c.startswith(("est", "diff", "p_")) else str(v)
                for c, v in row.items()}
               for row in mga.loc[:, list(MGA_VIEW_COLUMNS)].to_dict("records")]
    return {
        "engine": "pls", "estimator": "", "thresholds": {},
        "nobs": int(sum(v["nobs"] for v in by_group.values())),
        "edges": by_group[first]["edges"], "r2": by_group[first]["r2"],
        "fit": by_group[first]["fit"],
        "warnings": [str(w) for w in result.warnings], "groups": labels, "group": first,
        "by_group": by_group, "equal": [], "mga": records,
        "permutations": int(result.permutations),
        "interactions": interactions(table),
    }


def prediction_payload(engine: str, syntax: str, data: pd.DataFrame | None,
                       options: Mapping[str, Any], folds: int,
                       repetitions: int) -> dict[str, Any]:
    """PLSpredict of the widget's model: ``PLSPrediction.to_dict()`` (finite JSON).

    Uses the widget's ``seed``, ``scheme``, ``missing`` and ``interaction``; a multigroup fit
    is predicted on the pooled data (PLSpredict has no groups).

    Raises
    ------
    ModelSpecError
        With ``engine="sem"`` (PLSpredict is a PLS-SEM procedure) or no data.
    """
    if engine != "pls":
        raise ModelSpecError("PLSpredict needs engine='pls': switch the engine to PLS-SEM")
    if data is None:
        raise SemWidgetError("there is no data to predict: set w.data first")
    from semwidget.pls.predict import predict_pls

    keep = {k: options[k] for k in ("seed", "scheme", "missing", "interaction") if k in options}
    prediction = predict_pls(syntax, data, folds=folds, repetitions=repetitions, **keep)
    out: dict[str, Any] = widget_state.finite_json(prediction.to_dict(), "prediction")
    return out


class PLSViews:
    """The widget's PLS tools (a base of :class:`~semwidget.widget.SEMWidget`)."""

    engine: str
    syntax: str
    results: dict[str, Any]
    error: str
    _data: pd.DataFrame | None
    _fit_options: dict[str, Any]

    def predict_pls(self, folds: int = 10, repetitions: int = 10) -> dict[str, Any]:
        """PLSpredict of the model drawn: ``folds``-fold cross-validation, ``repetitions``
        times; the table also goes to ``results["prediction"]`` (the view's PLSpredict panel).

        Returns
        -------
        dict
            ``{"folds", "repetitions", "technique", "items": [{"construct", "item",
            "q2_predict", "pls_rmse", "pls_mae", "lm_rmse", "lm_mae"}], "warnings"}``.

        Raises
        ------
        SemWidgetError
            With ``engine="sem"``, without data, or when the model cannot be predicted.
        """
        out = prediction_payload(self.engine, self.syntax, self._data, self._fit_options,
                                 folds, repetitions)
        self.results = {**self.results, "prediction": out}
        return out
