"""What the widget tells the user about a model beyond parse errors.

* warnings, each pointing at the variables involved: the fit's own (Heywood cases,
  non-convergence, non-positive-definite matrices), implausible numbers in the results (R² or a
  standardized loading above 1), and variables of the model that are neither data columns nor
  latents (found as soon as the syntax is typed, not at the fit);
* positions carried over when a node is renamed in the syntax panel;
* an indirect effect that is already defined.

Pure functions of JSON-ready records, so they are tested without a widget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from semwidget.widget import state as widget_state

#: ``{"message", "variables": [name], "parameters": ["lhs op rhs"], "source": "model" | "fit"}``;
#: a warning with neither variables nor parameters is about the model as a whole.
Warning = dict[str, Any]

_QUOTED = re.compile(r"'([^']+)'")
_NEGATIVE_VARIANCE = re.compile(r"variance of '([^']+)' is negative")


def _warning(message: str, variables: Iterable[str], source: str,
             parameters: Iterable[str] = ()) -> Warning:
    return {"message": message, "variables": list(dict.fromkeys(variables)),
            "parameters": list(dict.fromkeys(parameters)), "source": source}


def _edge_in(edges: Mapping[str, Any], key: str) -> str | None:
    """``key`` as ``results["edges"]`` spells it (a covariance may be written either way)."""
    if key in edges:
        return key
    parts = key.split(" ")
    if len(parts) == 3 and parts[1] == "~~":
        other = f"{parts[2]} ~~ {parts[0]}"
        if other in edges:
            return other
    return None


def _parameters_named(text: str, edges: Mapping[str, Any]) -> list[str]:
    """The parameters a fit warning names: quoted keys (``'x1 ~~ x1'``), negative variances."""
    found = [_edge_in(edges, " ".join(q.split())) for q in _QUOTED.findall(text)]
    found += [_edge_in(edges, f"{v} ~~ {v}") for v in _NEGATIVE_VARIANCE.findall(text)]
    return [key for key in found if key is not None]


def model_warnings(
    records: Sequence[Mapping[str, Any]], latents: Sequence[str], columns: Sequence[str] | None
) -> list[Warning]:
    """Observed variables of the model that the data does not have (none without data)."""
    if columns is None:
        return []
    known = set(columns) | set(latents) | set(widget_state.measured_latents(records))
    missing = [name for name in widget_state.node_names(records, latents) if name not in known]
    return [
        _warning(
            f"'{name}' is not a column of the data: fix the name, or make it a latent "
            f"variable ('{name} =~ ...')",
            [name],
            "model",
        )
        for name in missing
    ]


def fit_warnings(results: Mapping[str, Any], nodes: Sequence[str]) -> list[Warning]:
    """The fit's warnings and out-of-range numbers of ``results`` (a results payload)."""
    node_set = set(nodes)
    edges = results.get("edges") or {}
    out: list[Warning] = []
    for text in results.get("warnings", []) or []:
        named = [name for name in _QUOTED.findall(str(text)) if name in node_set]
        out.append(_warning(str(text), named, "fit", _parameters_named(str(text), edges)))
    for name, value in (results.get("r2") or {}).items():
        if value is not None and value > 1.0:
            residual = _edge_in(edges, f"{name} ~~ {name}")
            out.append(_warning(
                f"R² of '{name}' is {value:.2f}, above 1: an improper solution "
                "(look for a negative residual variance)",
                [name],
                "fit",
                [residual] if residual else [],
            ))
    for key, edge in edges.items():
        parts = key.split(" ")
        std = edge.get("std")
        if len(parts) == 3 and parts[1] in ("=~", "~") and std is not None and abs(std) > 1.0:
            out.append(_warning(
                f"the standardized estimate of '{key}' is {std:.2f}, beyond ±1",
                [parts[0], parts[2]],
                "fit",
                [key],
            ))
    return out


def _neighbours(records: Sequence[Mapping[str, Any]], name: str) -> set[tuple[str, str, int]]:
    out = set()
    for row in records:
        if row["op"] not in widget_state.NODE_OPS:
            continue
        if row["lhs"] == name:
            out.add((row["op"], row["rhs"], 0))
        if row["rhs"] == name:
            out.add((row["op"], row["lhs"], 1))
    return out


def carry_renamed(
    old_records: Sequence[Mapping[str, Any]],
    old_latents: Sequence[str],
    new_records: Sequence[Mapping[str, Any]],
    new_latents: Sequence[str],
    positions: Mapping[str, dict[str, float]],
) -> dict[str, dict[str, float]]:
    """``positions`` plus, for each node the edit renamed, its old position under the new name.

    A node that vanished and one that appeared are taken as one renamed node when they have the
    same kind (latent or not) and share the most edges to other nodes (or are the only pair).
    """
    old_nodes = widget_state.node_names(old_records, old_latents)
    new_nodes = widget_state.node_names(new_records, new_latents)
    gone = [name for name in old_nodes if name not in new_nodes and name in positions]
    came = [name for name in new_nodes if name not in old_nodes]
    out = {name: dict(p) for name, p in positions.items()}
    if not gone or not came:
        return out
    old_lat = set(old_latents) | set(widget_state.measured_latents(old_records))
    new_lat = set(new_latents) | set(widget_state.measured_latents(new_records))
    for name in came:
        mine = _neighbours(new_records, name)
        best, score = None, -1
        for old in gone:
            if (old in old_lat) != (name in new_lat):
                continue
            shared = len(mine & _neighbours(old_records, old))
            if shared > score:
                best, score = old, shared
        if best is not None and (score > 0 or (len(gone) == 1 and len(came) == 1)):
            out[name] = dict(positions[best])
            gone.remove(best)
    return out


def _expression(text: str) -> str:
    return re.sub(r"\s+", "", text)


def duplicate_effect(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]],
                     names: Sequence[str]) -> str | None:
    """The name of an existing ``:=`` row that defines the same product as a new one, if any."""
    defined = {_expression(str(row["rhs"])): str(row["lhs"]) for row in old if row["op"] == ":="}
    for row in new:
        if row["op"] == ":=" and row["lhs"] in names:
            existing = defined.get(_expression(str(row["rhs"])))
            if existing is not None:
                return existing
    return None


def with_unidentified(results: dict[str, Any], err: BaseException) -> dict[str, Any]:
    """``results`` with ``"unidentified"``: the rows an IdentificationError names (to mark on
    the diagram), or without that key for any other error."""
    out = {k: v for k, v in results.items() if k != "unidentified"}
    parameters = list(getattr(err, "parameters", None) or [])
    return {**out, "unidentified": parameters} if parameters else out
