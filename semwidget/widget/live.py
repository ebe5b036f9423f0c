"""What a refit after an edit computes, and what it leaves until asked.

- **Warm starts**: a CB-SEM refit starts every parameter the last fit also had (same
  ``lhs op rhs``) at its estimate there (``fit(..., start=last)``, lavaan's ``start=``), so an
  edit of a big model converges in fewer iterations to the same optimum. A warm-started fit that
  fails is fitted again from the usual starts: a start never makes a fit fail that works cold.
- **Local fit on demand**: the residual-correlation overlay (``results["local_fit"]``) needs
  lavaan's standardized residuals, whose cost grows with the number of indicator pairs; it is
  computed only while the overlay is shown (the toolbar's toggle sends ``local_fit``, Python
  calls :meth:`SEMWidget.show_local_fit`). Otherwise the entry says ``deferred``.
- **The group shown stays shown**: a refit of a multigroup model draws the group the user
  picked (or all groups), not the first one again, while the new fit still has that group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from semwidget.errors import SemWidgetError
from semwidget.widget.state import ALL_GROUPS, select_group

__all__ = ["fit_warm", "local_fit_entry", "warm_start"]


def warm_start(last: Any, engine: str, fit_options: dict[str, Any]) -> Any:
    """The last fit, if a refit with these options can start from it (else ``None``): a
    single-group CB-SEM fit of continuous data, refitted without ``group=``/``ordered=``."""
    if last is None or engine != "sem" or getattr(last, "engine", None) != "sem":
        return None
    if getattr(last, "groups", None) or fit_options.get("group") is not None or \
            fit_options.get("ordered"):
        return None
    if (last.table["op"] == "|").any():  # ordinal indicators (thresholds)
        return None
    return last


def fit_warm(fit: Callable[..., Any], start: Any) -> Any:
    """``fit(start=start)``, or ``fit()`` when there is no start or the warm fit fails."""
    if start is None:
        return fit()
    try:
        return fit(start=start)
    except SemWidgetError:
        # e.g. an edit that made an indicator ordinal, or starts a new path's neighbours
        # cannot reach: the usual starts decide, and their error (if any) is the one shown
        return fit()


def local_fit_entry(result: Any, shown: bool) -> dict[str, Any]:
    """``results["local_fit"]``: the overlay's pairs while it is shown, else a ``deferred``
    entry (same threshold, no pairs) for a fit the overlay applies to."""
    from semwidget.tables import local_fit  # scipy.special: loaded by the fit, not the view

    if shown or getattr(result, "engine", None) != "sem" or getattr(result, "multigroup", False):
        return local_fit.local_fit_payload(result)
    return {"threshold": local_fit.THRESHOLD, "pairs": [], "max": None, "deferred": True}


def keep_group(previous: Any, payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` showing the group ``previous`` results showed, if the new fit has it.

    Without this a refit, or a fit that was already running when the user picked a group,
    would put the first group back on the diagram under the user's choice in the selector.
    """
    shown = previous.get("group") if isinstance(previous, dict) else None
    groups = payload.get("by_group") or {}
    if not shown or shown == payload.get("group") or (shown != ALL_GROUPS
                                                       and shown not in groups):
        return payload
    return select_group(payload, shown)
