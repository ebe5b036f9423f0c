"""Make the two seed-study data sets from the numbers their papers publish.

Neither paper shares its raw data, so semwidget ships data *simulated* from the published
standardized estimates, with the papers' sample sizes and 5-point Likert items:

* ``live_streaming_cbsem.csv`` (n = 663): Cao, Li, Wang & Ai (2022), "The Impact of Self-Efficacy
  and Perceived Value on Customer Engagement under Live Streaming Commerce Environment",
  Security and Communication Networks, article 2904447 (CC BY 4.0; retracted by the publisher in
  2023 — used here only as a worked example of a typical AMOS analysis). Population model: the
  standardized loadings of Table 2 and the structural paths of Table 4 (H3, reported as not
  significant without a value, is set to 0).
* ``live_streaming_pls.csv`` (n = 225): a SmartPLS study of live-streaming commerce engagement and
  value co-creation in Indonesia. Population model: the loadings of Table 2 and the construct
  correlations of Table 4; the paths of Table 6 are the regressions these correlations imply
  (checked below).

The published tables are also written, as numbers, to ``seed_published.json`` so notebooks can set
the reproduced values beside them.

Run from the repository root::

    python scripts/make_seed_data.py            # writes into semwidget/datasets/
    python scripts/make_seed_data.py --out DIR  # writes elsewhere (e.g. to compare)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "semwidget" / "datasets"

# Both papers: "measured by the Likert five-point scale" (paper 1, section 4.2);
# "a likert scale with a 5-point scale" (paper 2, Methodology).
LIKERT = 5
SEED_CBSEM = 20220122  # paper 1's publication date
SEED_PLS = 225

# --------------------------------------------------------------------------------------------
# Paper 1 (CB-SEM, AMOS), n = 663 (section 4.1)

CBSEM_N = 663
CBSEM_CONSTRUCTS = {
    "PU": "Perceived usefulness",
    "PE": "Perceived entertainment",
    "SE": "General self-efficacy",
    "LSE": "Live streaming commerce self-efficacy",
    "PV": "Perceived value",
    "CE": "Customer engagement",
}
# Table 2, "Variable reliability and validity test": item -> (standardized loading, R²).
CBSEM_LOADINGS = {
    "PU": {"PU1": (0.737, 0.515), "PU2": (0.729, 0.504), "PU3": (0.709, 0.527),
           "PU4": (0.661, 0.462), "PU5": (0.751, 0.580), "PU6": (0.816, 0.647)},
    "PE": {"PE1": (0.777, 0.634), "PE2": (0.909, 0.801), "PE3": (0.863, 0.737)},
    "SE": {"SE1": (0.766, 0.563), "SE2": (0.808, 0.588), "SE3": (0.731, 0.532),
           "SE4": (0.627, 0.472)},
    "LSE": {"LSE1": (0.703, 0.487), "LSE2": (0.764, 0.593), "LSE3": (0.739, 0.559),
            "LSE4": (0.812, 0.645), "LSE5": (0.753, 0.562)},
    "PV": {"PV1": (0.774, 0.591), "PV2": (0.764, 0.615), "PV3": (0.850, 0.712),
           "PV4": (0.801, 0.625)},
    "CE": {"CE1": (0.714, 0.523), "CE2": (0.789, 0.627), "CE3": (0.793, 0.633),
           "CE4": (0.790, 0.622), "CE5": (0.774, 0.500), "CE6": (0.774, 0.590),
           "CE7": (0.768, 0.580), "CE8": (0.714, 0.507)},
}
# Table 2, construct columns: Cronbach's alpha, CR, AVE.
CBSEM_RELIABILITY = {
    "PU": (0.827, 0.876, 0.541), "PE": (0.806, 0.887, 0.725), "SE": (0.709, 0.824, 0.542),
    "LSE": (0.811, 0.869, 0.570), "PV": (0.808, 0.875, 0.637), "CE": (0.893, 0.915, 0.573),
}
# Table 3, "Model fitness" (the recommended cut-offs are in the table's first row).
CBSEM_FIT = {"chisq_df": 4.127, "rmsea": 0.069, "rmr": 0.032, "agfi": 0.817, "gfi": 0.844,
             "nfi": 0.932, "ifi": 0.945, "rfi": 0.913, "cfi": 0.945}
CBSEM_FIT_CUTOFFS = {"chisq_df": "2-5", "rmsea": "<0.08", "rmr": "<0.05", "agfi": ">0.8",
                     "gfi": ">0.8", "nfi": ">0.9", "ifi": ">0.9", "rfi": ">0.9", "cfi": ">0.9"}
# Table 4, "Model path coefficients and tests": (hypothesis, from, to, beta, T). H3 is printed
# as "\" (not significant, no value); H2's T is 4.400 in the table and 4.440 in the text.
CBSEM_PATHS = [
    ("H1", "PU", "PV", 0.507, 7.991),
    ("H2", "PE", "PV", 0.225, 4.400),
    ("H3", "SE", "PV", None, None),
    ("H4", "SE", "PU", 0.853, 7.115),
    ("H5", "SE", "PE", 0.785, 7.289),
    ("H6", "SE", "LSE", 0.785, 7.032),
    ("H7", "LSE", "PV", 0.210, 3.922),
    ("H8", "LSE", "CE", 0.380, 6.817),
    ("H9", "PV", "CE", 0.511, 8.790),
]
# Table 5, "Perceived value mediation": model -> {predictor: (beta, T)}. Models 1-3 are one
# predictor at a time (their betas are too large to be joint); model 4 adds PV.
CBSEM_MEDIATION = {
    "model1_CE": {"PU": (0.712, 12.364), "PE": (0.691, 13.707), "LSE": (0.729, 12.432)},
    "model2_PV": {"PU": (0.793, 12.729), "PE": (0.682, 13.536), "LSE": (0.689, 11.662)},
    "model3_CE": {"PV": (0.739, 13.079)},
    "model4_CE": {"PU": (0.331, 4.615), "PE": (0.355, 6.686), "LSE": (0.419, 7.145),
                  "PV": (0.281, 3.900)},
}
# Section 4.3 (SPSS): KMO, Bartlett significant, 6 factors with eigenvalues > 1 explaining
# 68.598% of the variance (varimax-rotated principal components).
CBSEM_EXPLORE = {"kmo": 0.941, "bartlett_significant": True, "n_factors": 6,
                 "cumulative_variance_pct": 68.598, "alpha_min": 0.7}

# --------------------------------------------------------------------------------------------
# Paper 2 (PLS-SEM, SmartPLS), n = 225 (Results: "225 valid respondents")

PLS_N = 225
PLS_CONSTRUCTS = {
    "INT": "Interactivity",
    "INF": "Informativeness",
    "PSN": "Personalization",
    "CLE": "Customer live-streaming engagement",
    "VCC": "Value co-creation",
}
# Table 2, "Assessment of Measurement Model (Validity)": item -> (loading, SD, T).
PLS_LOADINGS = {
    "INT": {"INT01": (0.750, 0.046, 16.292), "INT02": (0.741, 0.041, 17.928),
            "INT03": (0.800, 0.031, 26.206), "INT04": (0.802, 0.032, 25.052)},
    "INF": {"INF01": (0.725, 0.038, 19.228), "INF02": (0.697, 0.048, 14.584),
            "INF03": (0.744, 0.037, 20.078), "INF04": (0.744, 0.045, 16.393)},
    "PSN": {"PSN01": (0.719, 0.039, 18.569), "PSN02": (0.716, 0.040, 18.083),
            "PSN03": (0.828, 0.025, 33.207), "PSN04": (0.811, 0.023, 35.587),
            "PSN05": (0.789, 0.032, 24.279)},
    "CLE": {"CLE01": (0.859, 0.018, 48.511), "CLE02": (0.878, 0.015, 59.652),
            "CLE03": (0.905, 0.013, 72.221), "CLE04": (0.818, 0.026, 31.561)},
    "VCC": {"VCC01": (0.844, 0.025, 33.793), "VCC02": (0.870, 0.015, 57.033),
            "VCC03": (0.842, 0.024, 35.523), "VCC04": (0.894, 0.016, 57.513),
            "VCC05": (0.881, 0.018, 49.946)},
}
# Table 3, "Assessment of Measurement Model (Reliability)": CR, alpha, AVE, rho_A.
PLS_RELIABILITY = {
    "INT": (0.855, 0.775, 0.597, 0.777), "INF": (0.816, 0.702, 0.526, 0.702),
    "PSN": (0.880, 0.830, 0.596, 0.835), "CLE": (0.923, 0.880, 0.750, 0.895),
    "VCC": (0.937, 0.916, 0.749, 0.916),
}
# Table 4, "Discriminant Validity": Fornell-Larcker matrix in the paper's order; the diagonal is
# sqrt(AVE), below it the construct correlations.
PLS_FL_ORDER = ["CLE", "INF", "INT", "PSN", "VCC"]
PLS_FORNELL_LARCKER = [
    [0.865],
    [0.546, 0.728],
    [0.616, 0.527, 0.774],
    [0.651, 0.508, 0.633, 0.774],
    [0.737, 0.371, 0.594, 0.597, 0.886],
]
# Table 5, "Coefficient of Determination": R², adjusted R² (CLE's adjusted value is printed
# larger than its R², which cannot be; kept as printed).
PLS_R2 = {"CLE": (0.524, 0.528), "VCC": (0.543, 0.541)}
# Table 6, "Hypothesis Testing Results": (hypothesis, from, to, beta, SD, T, p).
PLS_PATHS = [
    ("H1", "INT", "CLE", 0.265, 0.070, 3.777, 0.000),
    ("H2", "INF", "CLE", 0.216, 0.057, 3.773, 0.000),
    ("H3", "PSN", "CLE", 0.374, 0.071, 5.298, 0.000),
    ("H4", "CLE", "VCC", 0.737, 0.033, 22.461, 0.000),
]
PLS_BOOTSTRAP = 5000  # "bootstrapping test into 5000 subsamples ... two-tailed"


# --------------------------------------------------------------------------------------------
# population models


def _measurement(loadings: dict[str, dict[str, tuple]], free: bool) -> list[str]:
    lines = []
    for construct, items in loadings.items():
        terms = [item if free else f"{vals[0]}*{item}" for item, vals in items.items()]
        lines.append(f"{construct} =~ " + " + ".join(terms))
    return lines


def cbsem_population() -> str:
    """Paper 1 as a standardized population model (Tables 2 and 4)."""
    lines = _measurement(CBSEM_LOADINGS, free=False)
    by_outcome: dict[str, list[str]] = {}
    for _, src, dst, beta, _ in CBSEM_PATHS:
        by_outcome.setdefault(dst, []).append(f"{0.0 if beta is None else beta}*{src}")
    lines += [f"{dst} ~ " + " + ".join(terms) for dst, terms in by_outcome.items()]
    return "\n".join(lines) + "\n"


def cbsem_model() -> str:
    """Paper 1's analysis model (free parameters, hypothesis labels on the paths)."""
    lines = _measurement(CBSEM_LOADINGS, free=True)
    by_outcome: dict[str, list[str]] = {}
    for hyp, src, dst, _, _ in CBSEM_PATHS:
        by_outcome.setdefault(dst, []).append(f"{hyp}*{src}")
    lines += [f"{dst} ~ " + " + ".join(terms) for dst, terms in by_outcome.items()]
    return "\n".join(lines) + "\n"


def pls_correlations() -> pd.DataFrame:
    """Paper 2's construct correlations (Table 4) as a full matrix with a unit diagonal."""
    k = len(PLS_FL_ORDER)
    R = np.eye(k)
    for i, row in enumerate(PLS_FORNELL_LARCKER):
        for j, value in enumerate(row[:i]):
            R[i, j] = R[j, i] = value
    return pd.DataFrame(R, index=PLS_FL_ORDER, columns=PLS_FL_ORDER)


def pls_population() -> str:
    """Paper 2 as a standardized population model (Tables 2 and 4)."""
    lines = _measurement(PLS_LOADINGS, free=False)
    R = pls_correlations()
    names = list(PLS_LOADINGS)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            lines.append(f"{a} ~~ {R.loc[a, b]}*{b}")
    return "\n".join(lines) + "\n"


def pls_model() -> str:
    """Paper 2's analysis model (free parameters)."""
    lines = _measurement(PLS_LOADINGS, free=True)
    by_outcome: dict[str, list[str]] = {}
    for _, src, dst, *_ in PLS_PATHS:
        by_outcome.setdefault(dst, []).append(src)
    lines += [f"{dst} ~ " + " + ".join(srcs) for dst, srcs in by_outcome.items()]
    return "\n".join(lines) + "\n"


def check_pls_paths(tol: float = 0.005) -> None:
    """The Table 6 paths are the regressions the Table 4 correlations imply (to rounding)."""
    R = pls_correlations()
    for dst in dict.fromkeys(p[2] for p in PLS_PATHS):
        rows = [p for p in PLS_PATHS if p[2] == dst]
        srcs = [p[1] for p in rows]
        beta = np.linalg.solve(R.loc[srcs, srcs].to_numpy(), R.loc[srcs, dst].to_numpy())
        for (hyp, _, _, published, *_), b in zip(rows, beta, strict=True):
            if abs(b - published) > tol:
                raise SystemExit(f"{hyp}: Table 4 implies {b:.3f}, Table 6 prints {published}")


# --------------------------------------------------------------------------------------------
# data and published numbers


def make_cbsem() -> pd.DataFrame:
    """The simulated paper-1 data set (n = 663, 30 five-point items)."""
    from semwidget.cb.simulate import simulate

    return simulate(cbsem_population(), CBSEM_N, seed=SEED_CBSEM, likert=LIKERT)


def make_pls() -> pd.DataFrame:
    """The simulated paper-2 data set (n = 225, 22 five-point items)."""
    from semwidget.cb.simulate import simulate

    check_pls_paths()
    return simulate(pls_population(), PLS_N, seed=SEED_PLS, likert=LIKERT)


def published() -> dict[str, Any]:
    """The published tables of both papers, as numbers, for ``seed_published.json``."""
    cb_items = [
        {"construct": c, "item": item, "loading": lam, "r2": r2}
        for c, items in CBSEM_LOADINGS.items() for item, (lam, r2) in items.items()
    ]
    pls_items = [
        {"construct": c, "item": item, "loading": lam, "sd": sd, "t": t}
        for c, items in PLS_LOADINGS.items() for item, (lam, sd, t) in items.items()
    ]
    return {
        "live_streaming_cbsem": {
            "study": "Cao, Li, Wang & Ai (2022), Security and Communication Networks, "
                     "article 2904447 (retracted 2023)",
            "n": CBSEM_N,
            "likert": LIKERT,
            "seed": SEED_CBSEM,
            "constructs": CBSEM_CONSTRUCTS,
            "model": cbsem_model(),
            "population": cbsem_population(),
            "explore": CBSEM_EXPLORE,
            "table2_items": cb_items,
            "table2_constructs": [
                {"construct": c, "alpha": a, "cr": cr, "ave": ave}
                for c, (a, cr, ave) in CBSEM_RELIABILITY.items()
            ],
            "table3_fit": CBSEM_FIT,
            "table3_cutoffs": CBSEM_FIT_CUTOFFS,
            "table4_paths": [
                {"hypothesis": h, "from": s, "to": d, "beta": b, "t": t}
                for h, s, d, b, t in CBSEM_PATHS
            ],
            "table5_mediation": [
                {"model": m, "predictor": x, "beta": b, "t": t}
                for m, preds in CBSEM_MEDIATION.items() for x, (b, t) in preds.items()
            ],
        },
        "live_streaming_pls": {
            "study": "PLS-SEM study of live-streaming commerce engagement and value "
                     "co-creation (Indonesia), analysed in SmartPLS",
            "n": PLS_N,
            "likert": LIKERT,
            "seed": SEED_PLS,
            "bootstrap": PLS_BOOTSTRAP,
            "constructs": PLS_CONSTRUCTS,
            "model": pls_model(),
            "population": pls_population(),
            "table2_items": pls_items,
            "table3_reliability": [
                {"construct": c, "rho_c": cr, "alpha": a, "ave": ave, "rho_a": rho_a}
                for c, (cr, a, ave, rho_a) in PLS_RELIABILITY.items()
            ],
            "table4_order": PLS_FL_ORDER,
            "table4_fornell_larcker": PLS_FORNELL_LARCKER,
            "table5_r2": [
                {"construct": c, "r2": r2, "r2_adj": adj} for c, (r2, adj) in PLS_R2.items()
            ],
            "table6_paths": [
                {"hypothesis": h, "from": s, "to": d, "beta": b, "sd": sd, "t": t, "p": p}
                for h, s, d, b, sd, t, p in PLS_PATHS
            ],
        },
    }


def write(out_dir: Path) -> list[Path]:
    """Write both CSV files and the JSON of published values into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "live_streaming_cbsem.csv", out_dir / "live_streaming_pls.csv",
             out_dir / "seed_published.json"]
    make_cbsem().to_csv(paths[0], index=False, lineterminator="\n")
    make_pls().to_csv(paths[1], index=False, lineterminator="\n")
    paths[2].write_text(json.dumps(published(), indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR,
                        help="folder to write into (default: semwidget/data)")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run from a source checkout without installing
    raise SystemExit(main())
