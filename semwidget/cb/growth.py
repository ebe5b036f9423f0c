"""lavaan's ``growth()`` defaults on a full parameter table.

``growth()`` is ``sem()`` with a mean structure whose observed intercepts are fixed to 0
(``int.ov.free = FALSE``) and whose latent intercepts are free (``int.lv.free = TRUE``), so a
latent growth curve needs only its ``=~`` lines. Intercepts the user wrote are kept as written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from semwidget.cb.prepare import renumber_free

#: The fit kinds: lavaan's ``sem()``/``cfa()`` (the same defaults here) and ``growth()``.
KINDS = ("sem", "cfa", "growth")


def growth_table(full: pd.DataFrame) -> pd.DataFrame:
    """The full table (built with a mean structure) with growth()'s default intercepts."""
    out = full.copy()
    latents = set(out.loc[out["op"] == "=~", "lhs"])
    default = (out["op"] == "~1").to_numpy() & (out["user"] == 0).to_numpy()
    is_lv = out["lhs"].isin(latents).to_numpy()
    free = out["free"].to_numpy().astype(np.int64, copy=True)
    ustart = out["ustart"].to_numpy(dtype=float, copy=True)
    observed = default & ~is_lv & (out["exo"] == 0).to_numpy()
    free[observed] = 0
    ustart[observed] = 0.0
    new = np.flatnonzero(default & is_lv & (free == 0))
    free[new] = free.max() + 1 + np.arange(len(new))
    ustart[new] = np.nan
    out["free"] = renumber_free(free)
    out["ustart"] = ustart
    return out
