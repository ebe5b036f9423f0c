"""Progress bars for long resampling runs: shown in Jupyter or at a terminal, not in pipes/CI."""

from __future__ import annotations

import sys
from typing import Any


def interactive() -> bool:
    """True in a Jupyter kernel or at a terminal: where a progress bar helps."""
    try:
        from IPython import get_ipython  # optional: only to sense a Jupyter kernel

        shell = get_ipython()
        if shell is not None and hasattr(shell, "kernel"):
            return True
    except ImportError:
        pass
    return bool(getattr(sys.stderr, "isatty", lambda: False)())


def progress_bar(total: int, desc: str, show: bool | None, *, long_run: int) -> Any:
    """A ``tqdm.auto`` bar; ``show=None`` shows it for ``total >= long_run`` when interactive."""
    from tqdm.auto import tqdm

    visible = show if show is not None else (total >= long_run and interactive())
    return tqdm(total=total, desc=desc, unit="resample", disable=not visible)
