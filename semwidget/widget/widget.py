"""``SEMWidget``: draw a model, keep it in sync with lavaan syntax, fit it, read the results.

The kernel is the single source of truth for the model: the front end edits the drawing and sends
the syntax of its edited table; this class re-parses it, derives ``table``, ``latents``, ``counts``
and places new nodes in ``positions``. Everything the front end sends is validated in
:meth:`SEMWidget.set_state`; an update that cannot be accepted is refused (the current model
stays), explained in ``error`` and the front end is sent the kept value.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import anywidget
import pandas as pd
import traitlets

from semwidget.errors import DataError, SemWidgetError
from semwidget.model import emit, parse
from semwidget.widget import checks, diagram_file, live, pls_views
from semwidget.widget import estimation as fit_choice
from semwidget.widget import labels as node_labels
from semwidget.widget import messages as widget_messages
from semwidget.widget import render as svg_export
from semwidget.widget import state as widget_state
from semwidget.widget.history import History, HistoryComparison
from semwidget.widget.placement import PlacesOnRead, auto_layout, kept_positions
from semwidget.widget.refit import Refitter

_log = logging.getLogger(__name__)

FIT_OPTIONS = fit_choice.FIT_OPTIONS

# Keys the kernel derives; the front end may read them but never set them.
_DERIVED_TRAITS = ("table", "counts", "results", "stale", "columns", "warnings")
# The front end may send several keys at once (a new node: its syntax and its position); apply
# them in this order so the layout is checked against the model the same message defines.
# ``error`` first: the view may clear it, but an error the same update causes must stay.
_STATE_ORDER = ("error", "engine", "syntax", "latents", "positions", "labels", "options")

class SEMWidget(PlacesOnRead, pls_views.PLSViews, anywidget.AnyWidget):
    """A structural equation model drawn in a notebook, synced with lavaan syntax.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The data to fit; its columns form the palette of observed variables.
    syntax : str
        lavaan model syntax to start from.
    engine : {"sem", "pls"}
        CB-SEM (lavaan-compatible) or PLS-SEM.
    auto_fit : bool
        Refit after every edit of the model (the default; see :mod:`semwidget.widget.refit`).
    **fit_options
        Passed to :func:`semwidget.fit`: ``estimator``, ``missing``, ``std_lv``, ``orthogonal``,
        ``group``, ``group_equal``, ``group_partial`` (a multigroup fit shows a group selector;
        the diagram draws the chosen group, the fit bar the whole model); for
        ``engine="pls"`` also ``scheme``, ``bootstrap``, ``seed``, ``consistent``.

    Raises
    ------
    TypeError
        For a keyword argument that is not one of the above.

    Examples
    --------
    >>> from semwidget import SEMWidget, datasets   # doctest: +SKIP
    >>> w = SEMWidget(datasets.load("hs1939"), "visual =~ x1 + x2 + x3")  # doctest: +SKIP
    >>> w.fit()  # doctest: +SKIP
    """

    _esm = svg_export.static_asset("widget.js", svg_export.NO_BUNDLE_ESM)
    _css = svg_export.static_asset("widget.css", "")

    syntax = widget_state.SyntaxTrait("").tag(sync=True)
    table = traitlets.List(traitlets.Dict()).tag(sync=True)
    latents = widget_state.LatentsTrait().tag(sync=True)
    columns = traitlets.List(traitlets.Unicode()).tag(sync=True)
    #: Node centres in diagram units (not ``layout``: that is ipywidgets' own ``Layout``).
    positions = widget_state.LayoutTrait().tag(sync=True)
    results = widget_state.ResultsTrait().tag(sync=True)
    #: ``results`` are of the model before the last edit (drawn dimmed until the refit replaces
    #: them): a flag of its own, so an edit sends a few bytes instead of the whole results again.
    stale = traitlets.Bool(False).tag(sync=True)
    options = widget_state.OptionsTrait().tag(sync=True)
    counts = traitlets.Dict(dict(widget_state.EMPTY_COUNTS)).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    engine = widget_state.EngineTrait().tag(sync=True)
    #: ``[{"message", "variables", "source"}]``: the model check's and the last fit's warnings.
    warnings = traitlets.List(traitlets.Dict()).tag(sync=True)
    #: Every fit as a version, for the history panel (see :mod:`semwidget.widget.history`).
    versions = traitlets.List(traitlets.Dict()).tag(sync=True)
    #: ``{name: label}``: text drawn in a node instead of its variable name (see set_label).
    labels = node_labels.LabelsTrait().tag(sync=True)
    #: The CB-SEM estimator ("" = lavaan's default) and the ordinal variables; set from the
    #: toolbar or from Python, each change refits (the ``estimator``/``ordered`` fit options).
    estimator = fit_choice.EstimatorTrait().tag(sync=True)
    ordered = fit_choice.OrderedTrait().tag(sync=True)

    def __init__(
        self,
        data: pd.DataFrame | None = None,
        syntax: str = "",
        engine: str = "sem",
        auto_fit: bool = True,
        **fit_options: Any,
    ) -> None:
        engine = widget_state.validate_engine(engine)
        self._fit_options = fit_choice.check_fit_options(engine, fit_options)
        self._summary_columns = fit_choice.summary_columns(fit_options)  # sample_cov=
        self.auto_fit = bool(auto_fit)
        self.result: Any = None
        self._data: pd.DataFrame | None = None
        self._applying = False
        self._refusal = ""
        self._fit_lock = threading.Lock()
        self._model_warnings: list[dict[str, Any]] = []
        self._fit_warnings: list[dict[str, Any]] = []
        self._dropped_positions: dict[str, dict[str, float]] = {}
        self._incoming_positions: dict[str, dict[str, float]] = {}
        self._refit = Refitter(self._compute_fit, self._publish_fit, self._fit_failed)
        self._history = History()
        self._warm_from: Any = None  # the last fit, whose estimates start the next one
        self._local_fit_shown = False
        self._init_placement()
        super().__init__(
            engine=engine,
            estimator=fit_choice.validate_estimator(self._fit_options.get("estimator")),
            ordered=fit_choice.validate_ordered(self._fit_options.get("ordered")),
        )
        self.on_msg(self._on_custom_msg)
        self.data = data
        if syntax:
            self.syntax = syntax

    # ------------------------------------------------------------------ data

    @property
    def data(self) -> pd.DataFrame | None:
        """The data fitted by :meth:`fit`; setting it refreshes ``columns``."""
        return self._data

    @data.setter
    def data(self, value: pd.DataFrame | None) -> None:
        if value is not None and not isinstance(value, pd.DataFrame):
            raise DataError(f"data must be a pandas DataFrame, got {type(value).__name__}")
        self._data = value
        self.columns = [str(c) for c in (self._summary_columns if value is None else value)]
        self._clear_results()
        self._fit_warnings = []
        self._check_model()
        self._schedule_auto_fit()

    @property
    def fit_options(self) -> dict[str, Any]:
        """The keyword arguments passed to :func:`semwidget.fit` (a copy)."""
        return dict(self._fit_options)

    # ------------------------------------------------------------------ model state

    def _measured_latents(self) -> list[str]:
        return widget_state.measured_latents(self.table)

    def _known_nodes(self) -> list[str]:
        return [*widget_state.node_names(self.table, self.latents), *self.columns]

    def _counts(self, table: pd.DataFrame, latents: list[str]) -> dict[str, Any]:
        return fit_choice.counts(table, latents, self._fit_options, self._data, self.engine)

    def diagram_state(self) -> dict[str, Any]:
        """The synced state the renderer draws (a JSON-ready copy)."""
        return {
            "syntax": self.syntax,
            "table": list(self.table),
            "latents": list(self.latents),
            "columns": list(self.columns),
            "positions": dict(self.positions),
            "results": {**self.results, "stale": True} if self.stale else dict(self.results),
            "options": dict(self.options),
            "counts": dict(self.counts),
            "error": self.error,
            "engine": self.engine,
            "labels": dict(self.labels),
        }

    def set_label(self, name: str, label: str | None) -> None:
        """Draw ``label`` in the node ``name`` instead of its name (``None`` shows the name).

        The label may hold spaces and accents ("Visual perception"); the syntax keeps ``name``.
        Labels are saved in diagram files and drawn in SVG/PNG exports.

        Raises
        ------
        semwidget.widget.state.WidgetStateError
            If ``name`` is not a variable of the model (or a data column), or the label is empty,
            longer than 80 characters or more than one line.
        """
        rest = {k: v for k, v in self.labels.items() if k != name}
        self.labels = rest if label is None else {**rest, name: label}

    def _apply_syntax(
        self,
        text: str,
        previous_layout: dict[str, dict[str, float]] | None = None,
        keep_latents: list[str] | None = None,
    ) -> None:
        """Re-derive the model from ``text``; on a syntax error keep the model, set ``error``.

        New nodes get no position here: the view places them, or a read of ``positions``.
        """
        with self._stored():
            self._apply_parsed(text, previous_layout, keep_latents)

    def _apply_parsed(self, text: str, previous_layout: dict[str, dict[str, float]] | None,
                      keep_latents: list[str] | None) -> None:
        try:
            table = (pls_views.parse_syntax(text, self.engine) if text.strip()
                     else widget_state.table_from_records([]))
        except SemWidgetError as err:
            self.error = str(err)
            return
        records = widget_state.table_records(table)
        old_latents = self.latents if keep_latents is None else keep_latents
        old_measured = self._measured_latents() if keep_latents is None else []
        latents = widget_state.merge_latents(old_latents, old_measured,
                                             widget_state.measured_latents(records))
        changed = records != self.table
        state = {**self.diagram_state(), "table": records, "latents": latents}
        before = self.positions if previous_layout is None else previous_layout
        # Positions the view sent with this syntax (applied next) spare placing its nodes anew.
        before = {**before, **self._incoming_positions}
        # A node renamed in the syntax panel keeps its place (survivors keep theirs anyway).
        before = checks.carry_renamed(self.table, self.latents, records, latents, before)
        layout = kept_positions(state, before)
        # A latent dropped with its last indicator may come back at once in the same message
        # from the view (``latents`` follows ``syntax``): it then returns to where it was.
        self._dropped_positions = {k: p for k, p in before.items() if k not in layout}
        self._applying = True
        try:
            with self._refit.lock:
                with self.hold_sync():
                    self.table = records
                    self.latents = latents
                    self.positions = layout
                    self.labels = node_labels.prune(self.labels, self._known_nodes())
                    self.counts = self._counts(table, latents)
                    if changed:
                        self._mark_stale()
                    self.error = ""
                    self._check_model()
                # The refit starts once this edit's update is sent: a fit thread started inside
                # hold_sync would compete (GIL) with serialising it.
                if changed:
                    self._schedule_auto_fit()
        finally:
            self._applying = False

    @traitlets.observe("syntax")
    def _on_syntax(self, change: dict[str, Any]) -> None:
        self._apply_syntax(change["new"])

    @traitlets.observe("latents")
    def _on_latents(self, change: dict[str, Any]) -> None:
        # Latents drawn (or removed) in the diagram without a syntax change.
        if self._applying:
            return
        table = widget_state.table_from_records(self.table)
        self._applying = True
        try:
            with self.hold_sync(), self._stored():
                self.positions = kept_positions(self.diagram_state(),
                                                {**self._dropped_positions, **self.positions})
                self.counts = self._counts(table, list(change["new"]))
                self._check_model()
        finally:
            self._applying = False

    @traitlets.observe("positions")
    def _on_positions(self, change: dict[str, Any]) -> None:
        if self._unplaced_versions:
            self._fill_versions(change["new"])

    @traitlets.observe("engine")
    def _on_engine(self, change: dict[str, Any]) -> None:
        self._clear_results()
        self._apply_syntax(self.syntax)  # the PLS parser reads product terms, lavaan's does not
        self._fit_warnings = []
        self._check_model()
        self._schedule_auto_fit()

    @traitlets.observe("estimator", "ordered")
    def _on_fit_choice(self, change: dict[str, Any]) -> None:
        name, value = change["name"], change["new"]
        if value:
            self._fit_options[name] = value
        else:
            self._fit_options.pop(name, None)
        self._mark_stale()
        self._schedule_auto_fit()

    def _mark_stale(self) -> None:
        """Keep the shown numbers, drawn dimmed, until the refit replaces them."""
        if self.results:
            self.stale = True

    def _clear_results(self) -> None:
        self.results, self.stale, self._warm_from = {}, False, None

    def _latent_names(self) -> list[str]:
        return [*self.latents, *self._measured_latents()]

    def _check_model(self) -> None:
        columns = None if self._data is None and not self._summary_columns else self.columns
        self._model_warnings = checks.model_warnings(self.table, self.latents, columns)
        self.warnings = [*self._model_warnings, *self._fit_warnings]

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Apply state sent by the front end, refusing what is malformed.

        Each key is applied on its own, in dependency order (``syntax`` before ``positions``). A key
        that fails validation is refused: the current value stays, ``error`` says why, and the
        current value is sent back so the view does not drift from the kernel.
        """
        problems: list[str] = []
        refused: list[str] = []
        order = {name: index for index, name in enumerate(_STATE_ORDER)}
        # One reply for the whole update: without hold_sync the view would first receive the
        # positions placed for new nodes, then its own positions back (a visible jump).
        try:
            self._incoming_positions = widget_state.validate_layout(sync_data.get("positions", {}))
        except widget_state.WidgetStateError:
            self._incoming_positions = {}  # refused below, with the sentence, when it is applied
        with self.hold_sync():
            for key in sorted(sync_data, key=lambda name: order.get(name, len(order))):
                if key in _DERIVED_TRAITS:
                    problems.append(
                        f"{key} is computed by the kernel and cannot be set from the view"
                    )
                    refused.append(key)
                    continue
                try:
                    with self._stored():  # new nodes are placed by the view that sent them
                        super().set_state({key: sync_data[key]})
                except traitlets.TraitError as err:
                    problems.append(str(err))
                    refused.append(key)
                except Exception as err:
                    # A bug, not bad input: the comm handler would only log it, so show it too.
                    _log.exception("semwidget: applying %r from the view failed", key)
                    problems.append(f"{key}: internal error ({type(err).__name__}: {err})")
                    refused.append(key)
        self._incoming_positions = {}
        if problems:
            self.error = self._refusal = "Ignored an update from the diagram: " + "; ".join(
                problems
            )
            self.send_state(refused)
        elif self.error and self.error == self._refusal:
            # The view sent a valid update after a refused one: the refusal no longer applies.
            self.error = ""

    # ------------------------------------------------------------------ layout

    def auto_layout(self) -> None:
        """Lay out every node again with the automatic layout (forgets dragged positions)."""
        with self._stored():
            state = {**self.diagram_state(), "positions": {}}
        positions = auto_layout(state)
        nodes = widget_state.node_names(self.table, self.latents)
        self.positions = {name: positions[name] for name in nodes if name in positions}

    # ------------------------------------------------------------------ fitting

    def fit(self) -> Any:
        """Fit the model in ``syntax`` to ``data`` and show the results on the diagram.

        Returns
        -------
        FitResult
            Also kept in :attr:`result`.

        Raises
        ------
        SemWidgetError
            If there is no data, or the model cannot be fitted; the message is also put in
            ``error``.
        """
        try:
            result = self._compute_fit()
        except SemWidgetError as err:
            self._fit_failed(err)
            raise
        with self._refit.lock:
            self._publish_fit(result)
        return result

    def _compute_fit(self) -> Any:
        from semwidget.fitting import fit as fit_model

        with self._fit_lock:
            if self._data is None and not self._summary_columns:
                raise DataError("there is no data to fit: create the widget with "
                                "SEMWidget(data, ...) or set w.data")
            if not self.syntax.strip():
                raise SemWidgetError("there is no model to fit: draw one or set w.syntax")
            return live.fit_warm(
                lambda **start: fit_model(self.syntax, self._data, engine=self.engine,
                                          **self._fit_options, **start),
                live.warm_start(self._warm_from, self.engine, self._fit_options))

    def _publish_fit(self, result: Any) -> None:
        self.result = self._warm_from = result
        payload = live.keep_group(self.results,
                                  pls_views.results_payload(result, self.table))
        payload["local_fit"] = live.local_fit_entry(result, self._local_fit_shown)
        nodes = widget_state.node_names(self.table, self.latents)
        self._fit_warnings = checks.fit_warnings(payload, nodes)
        with self.hold_sync():
            self.results, self.stale = payload, False
            self.warnings = [*self._model_warnings, *self._fit_warnings]
            self.error = ""
        self.send({"type": "fitted"})
        # After the numbers are on their way: recording the History row takes a few ms.
        # Stored positions: reading ``self.positions`` would start V8 for nodes the view places.
        version = self._history.record(result, self.syntax, self.fit_options,
                                       self._stored_positions())
        self._wait_for_positions(version, nodes)
        self.versions = self._history.payload()

    @property
    def history(self) -> pd.DataFrame:
        """Every fit so far, one row per version: time, engine, syntax and fit measures."""
        return self._history.frame()

    def compare(self, i: int, j: int) -> HistoryComparison:
        """Versions ``i`` and ``j`` compared (:meth:`History.compare`), also ``results["diff"]``."""
        self.results, out = self._history.compare_into(self.results, i, j, self._data)
        return out

    def _fit_failed(self, err: BaseException) -> None:
        if isinstance(err, SemWidgetError):
            self.results = checks.with_unidentified(self.results, err)
            self.error = str(err)
        else:  # a bug: show it rather than lose it in the worker thread
            _log.error("semwidget: fitting failed", exc_info=err)
            self.error = f"Fitting failed unexpectedly ({type(err).__name__}: {err})"

    def show_local_fit(self, shown: bool = True) -> dict[str, Any]:
        """Compute the local-fit overlay (``results["local_fit"]``) now and after every refit
        while ``shown``; with ``False``, refits leave it ``deferred`` (see :mod:`.live`)."""
        self._local_fit_shown = bool(shown)
        if self.result is not None:
            self.results = {**self.results,
                            "local_fit": live.local_fit_entry(self.result, self._local_fit_shown)}
        return dict(self.results.get("local_fit", {}))

    def show_group(self, label: str) -> None:
        """Draw the estimates of group ``label`` of a multigroup fit (the fit bar is unchanged).

        Raises
        ------
        SemWidgetError
            If the last fit has no groups or no group of that name.
        """
        self.results = widget_state.select_group(self.results, label)

    def _fit_quietly(self) -> None:
        """Fit for the Fit button and auto-fit, where an exception would be lost."""
        try:
            self.fit()
        except SemWidgetError:
            pass  # fit() already put the sentence in ``error``
        except Exception as err:  # a bug: show it rather than fail silently in the comm handler
            _log.exception("semwidget: fitting failed")
            self.error = f"Fitting failed unexpectedly ({type(err).__name__}: {err})"

    def _schedule_auto_fit(self) -> None:
        if not (self.auto_fit and self.table and (self._data is not None or self._summary_columns)):
            return
        self._refit.request()

    def wait_for_auto_fit(self, timeout: float | None = None) -> None:
        """Block until a pending automatic refit has finished (for scripts and tests)."""
        self._refit.wait(timeout)

    # ------------------------------------------------------------------ one-click edits

    def add_indirect(self, x: str, y: str | None = None, *,
                     chain: list[str] | None = None) -> list[str]:
        """Write labels and ``:=`` lines for the indirect effect(s) of ``x`` on ``y``.

        Every chain of regressions from ``x`` to ``y`` (or only ``chain``, e.g.
        ``["x", "m", "y"]``) gets labels where it has none and one defined parameter per
        specific effect (plus their total). With data, the model is refitted so the effect,
        its SE and CI appear in :attr:`results` (``edges["name := a*b"]``).

        Returns
        -------
        list of str
            Names of the defined parameters written into the syntax.

        Raises
        ------
        SemWidgetError
            If there is no such chain, or the effect is already defined (named in the message).
        """
        from semwidget.model.edits import add_indirect

        checked = widget_state.validate_message({"type": "indirect", "x": x, "y": y,
                                                 "chain": chain})
        x, y, chain = checked["x"], checked["y"], checked["chain"]
        if self._fit_options.get("group") is not None:
            # a plain label is the same in every group: it would hold the paths equal
            raise SemWidgetError(
                "with group=, the labels the Indirect tool writes would hold the paths equal "
                "across groups; use w.result.indirect(x, y) for each group's effects, or write "
                "group-specific labels such as 'm ~ c(a1, a2)*x'")
        table = parse(self.syntax)
        new, names = add_indirect(table, x, y, chain=chain)
        same = checks.duplicate_effect(
            widget_state.table_records(table), widget_state.table_records(new), names
        )
        if same is not None:
            raise SemWidgetError(f"this indirect effect is already defined, as '{same}'")
        self.syntax = emit(new)
        if self._data is not None:
            self.fit()
        return names

    def show_modindices(self, k: int = 5) -> pd.DataFrame:
        """Show the ``k`` largest modification indices as dashed "ghost" arrows.

        Returns
        -------
        DataFrame
            The rows shown (``lhs op rhs mi epc sepc_all``), also in ``results["ghosts"]``.
        """
        if self.result is None or getattr(self.result, "engine", "sem") != "sem":
            raise SemWidgetError("modification indices need a CB-SEM fit: press Fit first")
        k = widget_state.validate_message({"type": "modindices", "k": k})["k"]
        mi = self.result.modindices(sort=True, top=k)
        ghosts = [
            {"edge": widget_state.edge_key(str(r.lhs), str(r.op), str(r.rhs)),
             "lhs": str(r.lhs), "op": str(r.op), "rhs": str(r.rhs),
             "mi": float(r.mi), "epc": float(r.epc), "sepc_all": float(r.sepc_all)}
            for r in mi.itertuples(index=False)
        ]
        self.results = {**self.results, "ghosts": ghosts}
        return mi

    def add_ghost(self, edge: str) -> dict[str, Any]:
        """Add a suggested parameter (``"lhs op rhs"``) to the model, refit, report the change.

        Returns
        -------
        dict
            ``edge``, ``chisq_before``, ``chisq_after``, ``cfi_before``, ``cfi_after`` and the
            differences; also in ``results["change"]``.
        """
        from semwidget.model.edits import add_parameter

        parts = str(edge).split()
        if len(parts) != 3:
            raise SemWidgetError(f"cannot read the suggested parameter {edge!r}")
        if self.result is None or getattr(self.result, "engine", "sem") != "sem":
            raise SemWidgetError("a suggested parameter needs a CB-SEM fit: press Fit first")
        before = dict(getattr(self.result, "fit_measures", {}) or {})
        table = parse(self.syntax)
        self.syntax = emit(add_parameter(table, *parts))
        after = self.fit().fit_measures
        change = {"edge": str(edge)}
        for key in ("chisq", "cfi"):
            b, a = before.get(key), after.get(key)
            change[f"{key}_before"] = widget_state.json_number(b) if b is not None else None
            change[f"{key}_after"] = widget_state.json_number(a)
            change[f"delta_{key}"] = (widget_state.json_number(a - b)
                                      if b is not None and a is not None else None)
        self.results = {**self.results, "change": change}
        return change

    # ------------------------------------------------------------------ messages

    def _on_custom_msg(self, widget: Any, content: Any, buffers: Any) -> None:
        # The whole message is checked before anything changes; an edit that then fails (say,
        # its refit) leaves the syntax as it was.
        try:
            message = widget_state.validate_message(content)
        except SemWidgetError as err:
            self.error = f"Ignored a message from the diagram: {err}"
            return
        kind = message["type"]
        if kind == "fit":
            self._fit_quietly()
            return
        before = self.syntax
        try:
            widget_messages.run(self, message)
        except Exception as err:
            if not isinstance(err, SemWidgetError):
                # A bug, not bad input: the comm handler would only log it, so show it too.
                _log.exception("semwidget: the %r message failed", kind)
            if self.syntax != before:
                self.syntax = before
            self.error = (str(err) if isinstance(err, SemWidgetError)
                          else f"{kind}: internal error ({type(err).__name__}: {err})")

    # ------------------------------------------------------------------ files and export

    def save(self, path: str | os.PathLike[str]) -> None:
        """Save the syntax, layout, latents, display options and engine as a diagram file.

        Raises
        ------
        semwidget.errors.ModelSyntaxError
            If the syntax does not parse: a file that could not be loaded again is not written.
        """
        if self.syntax.strip():
            pls_views.parse_syntax(self.syntax, self.engine)
        diagram_file.save(
            path,
            diagram_file.Diagram(
                syntax=self.syntax,
                positions=dict(self.positions),
                latents=list(self.latents),
                options=dict(self.options),
                engine=self.engine,
                labels=dict(self.labels),
                history=self._history.versions,
            ),
        )

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        data: pd.DataFrame | None = None,
        **kwargs: Any,
    ) -> SEMWidget:
        """Open a diagram file saved by :meth:`save`.

        Parameters
        ----------
        path : path-like
            The file.
        data : pandas.DataFrame, optional
            The data to fit.
        **kwargs
            ``auto_fit`` and fit options, as for :class:`SEMWidget`.

        Raises
        ------
        semwidget.widget.diagram_file.DiagramFileError
            Naming what is wrong in the file (also when its syntax does not parse or its layout
            names a node the model does not have).
        """
        diagram = diagram_file.load(path)
        try:
            table = (pls_views.parse_syntax(diagram.syntax, diagram.engine)
                     if diagram.syntax.strip() else None)
        except SemWidgetError as err:
            raise diagram_file.DiagramFileError(path, f"syntax: {err}") from None
        if table is not None:
            records = widget_state.table_records(table)
            latents = widget_state.merge_latents(
                diagram.latents, [], widget_state.measured_latents(records)
            )
            nodes = widget_state.node_names(records, latents)
            unknown = [name for name in diagram.positions if name not in nodes]
            if unknown:
                listed = ", ".join(map(repr, unknown))
                raise diagram_file.DiagramFileError(
                    path, f"positions: {listed} not in the model or its latents"
                )
        widget = cls(data=data, engine=diagram.engine, **kwargs)
        widget.options = diagram.options
        widget._apply_syntax(diagram.syntax, diagram.positions, diagram.latents)
        try:
            widget.labels = diagram.labels
        except traitlets.TraitError as err:
            raise diagram_file.DiagramFileError(path, str(err)) from None
        # Assigning syntax after the model is built fires the observer again; it finds the same
        # table, so nothing moves.
        widget.syntax = diagram.syntax
        widget.versions = widget._history.load(diagram.history)
        return widget

    def to_svg(self) -> str:
        """The diagram as a standalone SVG document (works without a displayed view)."""
        return svg_export.to_svg(self.diagram_state())

    def save_svg(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_svg` to ``path``."""
        diagram_file.write_file(path, self.to_svg())

    def save_png(self, path: str | os.PathLike[str], *, scale: float = 2.0) -> None:
        """Write the diagram as a PNG image (rasterised from :meth:`to_svg` with resvg)."""
        diagram_file.write_file(path, svg_export.svg_to_png(self.to_svg(), scale=scale))
