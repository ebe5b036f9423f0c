"""A 6-factor, 30-indicator CFA on simulated data: the "big model" of the browser test and the
benchmark (cells and code shared so both measure the same thing)."""

from __future__ import annotations

N_FACTORS = 6
N_ITEMS = 5

SYNTAX = "\n".join(
    f"F{j} =~ " + " + ".join(f"i{j}_{i}" for i in range(1, N_ITEMS + 1))
    for j in range(1, N_FACTORS + 1)
) + "\n"

#: Python source that defines ``cfa30_data()``: factors correlated 0.4, loadings 0.5 to 0.82.
DATA_CODE = f"""
import numpy as np
import pandas as pd
def cfa30_data(n=400, seed=3):
    rng = np.random.default_rng(seed)
    cor = 0.4 * np.ones(({N_FACTORS}, {N_FACTORS})) + 0.6 * np.eye({N_FACTORS})
    f = rng.multivariate_normal(np.zeros({N_FACTORS}), cor, size=n)
    return pd.DataFrame({{
        f"i{{j + 1}}_{{i + 1}}": (0.5 + 0.08 * i) * f[:, j] + rng.standard_normal(n) * 0.7
        for j in range({N_FACTORS}) for i in range({N_ITEMS})
    }})
"""
