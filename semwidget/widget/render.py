"""Headless diagram rendering with the front end's own renderer.

The browser and the exports share one renderer: ``semwidget/static/render.js``, built from the
TypeScript in ``js/``, defines ``semwidgetRenderSVG(stateJSON)`` and ``semwidgetLayoutSync`` /
``semwidgetLayout(stateJSON)`` without touching the DOM. Here it runs in V8 through
``mini-racer``, so ``to_svg`` works in scripts, the CLI and CI where no view was ever displayed.
PNG files are rasterised from that SVG with resvg (``resvg-py``): a self-contained wheel with no
system library to install, and resvg implements static SVG closely.
"""

from __future__ import annotations

import json
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

from semwidget.widget import state as widget_state

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
RENDER_BUNDLE = STATIC_DIR / "render.js"

_RENDER_FUNCTION = "semwidgetRenderSVG"
_LAYOUT_FUNCTION = "semwidgetLayout"
_LAYOUT_SYNC_FUNCTION = "semwidgetLayoutSync"
# Used only with a bundle that offers the promise-returning layout alone. A model of a few
# hundred nodes is laid out well under a second, so a longer wait means the script is stuck.
_LAYOUT_TIMEOUT_S = 30.0


class BundleMissingError(FileNotFoundError):
    """The built front end (``semwidget/static/render.js``) is not installed."""


def _new_context() -> Any:
    """A MiniRacer context with its own event-loop thread.

    MiniRacer adopts the asyncio loop running in the calling thread and dispatches V8's timers
    and promise callbacks on it. In a Jupyter kernel that is the kernel's loop, which our
    synchronous calls would block while waiting on it. Creating the context in a thread with no
    running loop gives it a private loop thread; calls from any thread then wait on that one.
    """
    from py_mini_racer import MiniRacer

    made: dict[str, Any] = {}

    def build() -> None:
        try:
            made["context"] = MiniRacer()
        except BaseException as err:  # re-raised in the caller's thread below
            made["error"] = err

    thread = threading.Thread(target=build, name="semwidget-v8-setup", daemon=True)
    thread.start()
    thread.join()
    if "error" in made:
        raise made["error"]
    return made["context"]


class _JSRuntime:
    """One V8 context with ``render.js`` loaded, created on first use and reused.

    A mini-racer context is not safe to enter from two threads at once (auto-fit runs in a
    timer thread), hence the lock.
    """

    def __init__(self, bundle: Path) -> None:
        self._bundle = bundle
        self._context: Any = None
        self._mtime = 0.0
        self._lock = threading.Lock()

    def _ensure(self) -> Any:
        if not self._bundle.is_file():
            raise BundleMissingError(
                f"the diagram renderer {self._bundle.name} is not installed in semwidget/static; "
                "build the front end (npm install && npm run build) or reinstall semwidget"
            )
        mtime = self._bundle.stat().st_mtime
        # Reload after a rebuild, so a long-lived kernel picks up a new bundle.
        if self._context is None or mtime != self._mtime:
            context = _new_context()
            context.eval(self._bundle.read_text(encoding="utf-8"))
            for name in (_RENDER_FUNCTION, _LAYOUT_FUNCTION):
                if context.eval(f"typeof {name}") != "function":
                    raise BundleMissingError(
                        f"{self._bundle.name} does not define {name}(); rebuild the front end"
                    )
            self._context, self._mtime = context, mtime
        return self._context

    def _invoke(self, function: str, state_json: str) -> Any:
        # eval rather than MiniRacer.call: call JSON-encodes the return value, which would turn
        # the layout's promise into "{}". The argument is a JS string literal (JSON-quoted).
        return self._ensure().eval(f"{function}({json.dumps(state_json)})")

    def render(self, state_json: str) -> str:
        with self._lock:
            return str(self._invoke(_RENDER_FUNCTION, state_json))

    def layout(self, state_json: str) -> str:
        with self._lock:
            context = self._ensure()
            # Prefer the synchronous entry point when the bundle has one: no promise to await.
            if context.eval(f"typeof {_LAYOUT_SYNC_FUNCTION}") == "function":
                return str(self._invoke(_LAYOUT_SYNC_FUNCTION, state_json))
            outcome = self._invoke(_LAYOUT_FUNCTION, state_json)
            if not isinstance(outcome, str):
                outcome = outcome.get(timeout=_LAYOUT_TIMEOUT_S)
            return str(outcome)

    def warm_up(self) -> None:
        """Load the bundle now, in a background thread, so the first edit does not wait for it."""

        def load() -> None:
            with self._lock, suppress(BundleMissingError):
                self._ensure()

        threading.Thread(target=load, name="semwidget-v8-warm-up", daemon=True).start()


_RUNTIME = _JSRuntime(RENDER_BUNDLE)


def warm_up() -> None:
    """Start loading the renderer in the background (no-op when the bundle is missing)."""
    if bundle_available():
        _RUNTIME.warm_up()


def bundle_available() -> bool:
    """Whether the built renderer is installed (``semwidget/static/render.js``)."""
    return RENDER_BUNDLE.is_file()


def _state_json(state: dict[str, Any]) -> str:
    # allow_nan=False: JSON has no NaN, and the front end must never receive one.
    return json.dumps(state, allow_nan=False)


def to_svg(state: dict[str, Any]) -> str:
    """Render a widget state as a standalone SVG document.

    Parameters
    ----------
    state : dict
        The widget's synced state (``syntax``, ``table``, ``latents``, ``layout``, ``results``,
        ``options``, ...), as :meth:`semwidget.SEMWidget.diagram_state` returns it.

    Returns
    -------
    str
        The SVG markup, with styles and fonts inlined.

    Raises
    ------
    BundleMissingError
        If the front end has not been built.
    """
    return _RUNTIME.render(_state_json(state))


def js_layout(state: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Positions for every node from the front end's automatic layout.

    Parameters
    ----------
    state : dict
        As for :func:`to_svg`; ``layout`` holds positions to keep, if the layout honours them.

    Returns
    -------
    dict
        ``name -> {"x": float, "y": float}``.
    """
    positions = json.loads(_RUNTIME.layout(_state_json(state)))
    return widget_state.validate_layout(positions)


def svg_to_png(svg: str, *, scale: float = 2.0, background: str | None = "#ffffff") -> bytes:
    """Rasterise an SVG document to PNG bytes with resvg.

    Parameters
    ----------
    svg : str
        The SVG markup.
    scale : float
        Pixels per SVG unit (2 gives sharp images on high-density screens and in print).
    background : str or None
        A CSS colour painted behind the diagram; ``None`` keeps it transparent.
    """
    import resvg_py

    options: dict[str, Any] = {"svg_string": svg, "zoom": float(scale)}
    if background is not None:
        options["background"] = background
    return bytes(resvg_py.svg_to_bytes(**options))
