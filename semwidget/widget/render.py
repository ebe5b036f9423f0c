"""Headless diagram rendering with the front end's own renderer.

The browser and the exports share one renderer: ``semwidget/static/render.js``, built from the
TypeScript in ``js/``, defines ``semwidgetRenderSVG(stateJSON)`` and ``semwidgetLayoutSync`` /
``semwidgetLayout(stateJSON)`` without touching the DOM. Here it runs in V8 through
``mini-racer``, so ``to_svg`` works in scripts, the CLI and CI where no view was ever displayed.
PNG files are rasterised from that SVG with resvg (``resvg-py``): a self-contained wheel with no
system library to install, and resvg implements static SVG closely.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import queue
import re
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from semwidget.errors import SemWidgetError
from semwidget.widget import state as widget_state

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
RENDER_BUNDLE = STATIC_DIR / "render.js"

#: The view's module when the front end is not built: it says so instead of drawing.
NO_BUNDLE_ESM = """
export default {
  render({ el }) {
    el.textContent = "semwidget: the front end is not built (semwidget/static/widget.js is "
      + "missing). Run `npm install && npm run build` in the source tree, or reinstall semwidget.";
  }
};
"""

_RENDER_FUNCTION = "semwidgetRenderSVG"
_LAYOUT_SYNC_FUNCTION = "semwidgetLayoutSync"
#: Seconds one call into V8 may run before it is interrupted (loading the bundle, one render or
#: one layout). A model of a few hundred nodes takes well under a second; 10^4 nodes take a few.
CALL_TIMEOUT_S = 60.0
#: Seconds the exit handler waits for a call still running in another thread before closing.
_CLOSE_WAIT_S = 2.0
_log = logging.getLogger(__name__)
# Text V8 must never see or hand back: lone surrogates (mini-racer cannot decode them into
# Python and its call then never returns) and characters XML 1.0 forbids (the SVG would be
# malformed). Both become U+FFFD.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BundleMissingError(FileNotFoundError):
    """The built front end (``semwidget/static/render.js``) is not installed."""


class RenderError(SemWidgetError):
    """The headless renderer refused, failed on or timed out on a diagram."""


def safe_text(text: str) -> str:
    """``text`` with lone surrogates and XML-illegal control characters replaced by U+FFFD."""
    return _UNSAFE_TEXT.sub("\ufffd", text)


def _safe_state(value: Any) -> Any:
    """A copy of a JSON-ready value with every string (keys too) passed through safe_text."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {safe_text(str(key)): _safe_state(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe_state(item) for item in value]
    return value


class _V8Thread:
    """The one thread that creates, uses and closes the package's V8 context.

    mini-racer's context must be freed from the thread that created it while that thread is
    alive (freeing it elsewhere, or after the creating thread ended, crashes the process), and
    mini-racer 0.14 binds a context to the asyncio loop of the creating thread, which in Jupyter
    is the kernel's. A private daemon thread satisfies both; callers hand it jobs and wait.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception:  # a background job (warm-up) failed: its caller is not waiting
                _log.exception("semwidget: a background renderer job failed")

    def _start(self) -> None:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="semwidget-v8",
                                                daemon=True)
                self._thread.start()

    def run_later(self, job: Callable[[], None]) -> None:
        """Queue ``job`` on the V8 thread without waiting for it."""
        self._start()
        self._jobs.put(job)

    def run(self, job: Callable[[], Any], wait: float) -> Any:
        """Run ``job`` on the V8 thread; raise :class:`RenderError` if it takes over ``wait``."""
        self._start()
        if threading.current_thread() is self._thread:
            return job()
        done = threading.Event()
        box: dict[str, Any] = {}

        def task() -> None:
            try:
                box["value"] = job()
            except BaseException as err:  # re-raised in the caller's thread below
                box["error"] = err
            finally:
                done.set()

        self._jobs.put(task)
        if not done.wait(wait):
            raise RenderError(f"the diagram renderer did not answer within {wait:g} s")
        if "error" in box:
            raise box["error"]
        return box.get("value")


_V8_THREAD = _V8Thread()


class _JSRuntime:
    """The package's one V8 context, with ``render.js`` loaded; created on first use.

    Every call goes through :meth:`_eval` on the V8 thread: bounded by :data:`CALL_TIMEOUT_S`,
    its string result made well-formed inside V8 before mini-racer converts it. The context is
    closed by :meth:`close`, registered with ``atexit``, so it is never left to mini-racer's
    ``__del__`` during interpreter shutdown (which hangs or crashes the process).
    """

    def __init__(self, bundle: Path) -> None:
        self._bundle = bundle
        self._context: Any = None
        self._mtime = 0.0
        self._thread = _V8_THREAD
        self._closed = False

    def _eval(self, context: Any, code: str) -> Any:
        from py_mini_racer import JSEvalException, JSTimeoutException

        try:
            return context.eval(code, timeout_sec=CALL_TIMEOUT_S)
        except JSTimeoutException:
            # V8 was interrupted; start from a fresh context next time.
            self._discard()
            raise RenderError(
                f"the diagram renderer did not finish within {CALL_TIMEOUT_S:g} s"
            ) from None
        except JSEvalException as err:
            message = safe_text(str(err)).strip().splitlines()
            raise RenderError(
                "the diagram renderer failed: " + (message[0][:300] if message else "unknown")
            ) from None

    def _discard(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            context.close()

    def _ensure(self) -> Any:
        if self._closed:
            raise RenderError("the diagram renderer was shut down (the interpreter is exiting)")
        if not self._bundle.is_file():
            raise BundleMissingError(
                f"the diagram renderer {self._bundle.name} is not installed in semwidget/static; "
                "build the front end (npm install && npm run build) or reinstall semwidget"
            )
        mtime = self._bundle.stat().st_mtime
        # Reload after a rebuild, so a long-lived kernel picks up a new bundle.
        if self._context is None or mtime != self._mtime:
            from py_mini_racer import MiniRacer

            self._discard()
            self._context = context = MiniRacer()
            self._eval(context, self._bundle.read_text(encoding="utf-8"))
            for name in (_RENDER_FUNCTION, _LAYOUT_SYNC_FUNCTION):
                if self._eval(context, f"typeof {name}") != "function":
                    self._discard()
                    raise BundleMissingError(
                        f"{self._bundle.name} does not define {name}(); rebuild the front end"
                    )
            self._mtime = mtime
        return self._context

    def _invoke(self, function: str, state_json: str) -> str:
        # The argument is a JS string literal (JSON-quoted); toWellFormed() replaces any lone
        # surrogate the renderer might produce (e.g. by cutting a label), which mini-racer could
        # not decode.
        code = f"String({function}({json.dumps(state_json)})).toWellFormed()"

        def job() -> str:
            return str(self._eval(self._ensure(), code))

        # Loading the bundle and the call each have CALL_TIMEOUT_S inside V8.
        return str(self._thread.run(job, 2 * CALL_TIMEOUT_S + 5.0))

    def render(self, state_json: str) -> str:
        return self._invoke(_RENDER_FUNCTION, state_json)

    def layout(self, state_json: str) -> str:
        return self._invoke(_LAYOUT_SYNC_FUNCTION, state_json)

    def close(self) -> None:
        """Close the context (at exit); later calls raise :class:`RenderError`."""

        def job() -> None:
            self._closed = True
            self._discard()

        # A call still running holds the thread; wait briefly, then leave the process to end
        # with the context open rather than hang the exit.
        with suppress(RenderError):
            self._thread.run(job, _CLOSE_WAIT_S)

    def warm_up(self) -> None:
        """Load the bundle now, on the V8 thread, so the first edit does not wait for it."""

        def load() -> None:
            with suppress(BundleMissingError, RenderError):
                self._ensure()

        self._thread.run_later(load)


_RUNTIME = _JSRuntime(RENDER_BUNDLE)
atexit.register(_RUNTIME.close)


def warm_up() -> None:
    """Start loading the renderer in the background (no-op when the bundle is missing)."""
    if bundle_available():
        _RUNTIME.warm_up()


def static_asset(name: str, fallback: str) -> Path | str:
    """The built front-end file ``name`` in ``semwidget/static``, else ``fallback`` (its text)."""
    path = STATIC_DIR / name
    return path if path.is_file() else fallback


def bundle_available() -> bool:
    """Whether the built renderer is installed (``semwidget/static/render.js``)."""
    return RENDER_BUNDLE.is_file()


def _state_json(state: dict[str, Any]) -> str:
    # allow_nan=False: JSON has no NaN, and the front end must never receive one.
    try:
        return json.dumps(_safe_state(state), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise RenderError(f"the diagram state is not finite JSON: {err}") from None


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


#: The largest PNG side and area :func:`svg_to_png` will produce (resvg aborts the process on
#: canvases far beyond these instead of raising).
MAX_PNG_SIDE = 16384
MAX_PNG_PIXELS = 64_000_000
#: The zoom factors :func:`svg_to_png` accepts.
MIN_PNG_SCALE, MAX_PNG_SCALE = 0.01, 16.0
_SVG_SIZE = re.compile(r"<svg\b[^>]*?\swidth=\"([^\"]*)\"[^>]*?\sheight=\"([^\"]*)\"", re.S)


def png_size(svg: str, scale: float) -> tuple[int, int]:
    """The pixel size of ``svg`` rasterised at ``scale``, checked against the limits.

    Raises
    ------
    RenderError
        If ``scale`` is not a number in [MIN_PNG_SCALE, MAX_PNG_SCALE], the SVG's width and
        height cannot be
        read, or the image would exceed MAX_PNG_SIDE per side or MAX_PNG_PIXELS in all.
    """
    try:
        zoom = float(scale)
    except (TypeError, ValueError):
        raise RenderError(f"scale must be a number, got {scale!r:.40}") from None
    if not (MIN_PNG_SCALE <= zoom <= MAX_PNG_SCALE):  # also refuses NaN
        raise RenderError(f"scale must be from {MIN_PNG_SCALE:g} to {MAX_PNG_SCALE:g}, got "
                          f"{zoom:.6g}")
    found = _SVG_SIZE.search(svg[:4096])
    try:
        width, height = (float(found.group(k)) for k in (1, 2)) if found else (math.nan,) * 2
    except ValueError:
        width = height = math.nan
    if not (math.isfinite(width) and math.isfinite(height) and width > 0 and height > 0):
        raise RenderError("cannot read the SVG's width and height (numbers on the <svg> element)")
    pixels = (math.ceil(width * zoom), math.ceil(height * zoom))
    if max(pixels) > MAX_PNG_SIDE or pixels[0] * pixels[1] > MAX_PNG_PIXELS:
        raise RenderError(
            f"the PNG would be {pixels[0]:.3g} x {pixels[1]:.3g} pixels (diagram "
            f"{width:.6g} x {height:.6g} at scale {zoom:g}); the limit is {MAX_PNG_SIDE} per "
            f"side and {MAX_PNG_PIXELS:,} in all: lower the scale or move far-away nodes closer"
        )
    return pixels


def svg_to_png(svg: str, *, scale: float = 2.0, background: str | None = "#ffffff") -> bytes:
    """Rasterise an SVG document to PNG bytes with resvg.

    Parameters
    ----------
    svg : str
        The SVG markup.
    scale : float
        Pixels per SVG unit (2 gives sharp images on high-density screens and in print), from
        :data:`MIN_PNG_SCALE` to :data:`MAX_PNG_SCALE`.
    background : str or None
        A CSS colour painted behind the diagram; ``None`` keeps it transparent.

    Raises
    ------
    RenderError
        For a scale out of range or an image larger than the limits (see :func:`png_size`).
    """
    import resvg_py

    png_size(svg, scale)
    options: dict[str, Any] = {"svg_string": safe_text(svg), "zoom": float(scale)}
    if background is not None:
        options["background"] = background
    try:
        return bytes(resvg_py.svg_to_bytes(**options))
    except ValueError as err:
        raise RenderError(f"resvg could not rasterise the SVG: {err}") from None
