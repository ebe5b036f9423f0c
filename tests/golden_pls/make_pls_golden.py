"""Write the PLS-SEM golden files from seminr's Python port (the reference implementation).

Run from the repository root with seminr installed (``pip install "seminr==0.2.*"``)::

    python tests/golden_pls/make_pls_golden.py

seminr is GPL-3.0; it is used only by this script, which writes JSON (and the data sets it
used) under ``tests/golden_pls/``. Neither the package nor the tests import it.

Data: seminr's bundled ``mobi`` (ECSI mobile-phone survey, n = 250) and ``corp_rep_data``
(corporate-reputation survey, n = 344, missing cells coded -99), plus a data set simulated
here from a known composite/factor model (seeded; with -99 codes too). Each case stores the
model (lavaan syntax and its ``lhs op rhs`` rows), the options and seminr's estimates. In
seminr, ``composite(..., mode_A)`` is plain PLS Mode A, ``composite(..., mode_B)`` Mode B and
``reflective()`` Mode A with the PLSc correction, so a PLSc case uses ``reflective`` for
every ``=~`` block. seminr has path and factorial schemes; the centroid case passes seminr
an inner-weighting function (sign of the score correlation of adjacent constructs), so the
iteration itself is still seminr's.

Bootstrap cases run ``bootstrap_model(model, nboot, seed=seed)``: seminr draws each
resample's rows with ``Generator(PCG64(seed)).integers(0, n, n)``, the same stream the
semwidget bootstrap counts are drawn from, so the tests can compare standard errors and
percentile intervals resample for resample; a second, independently seeded seminr run
checks agreement within Monte-Carlo error.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from seminr import (
    bootstrap_model,
    estimate_pls,
    fl_criteria_table,
    htmt,
    item_vifs,
    path_factorial,
    path_weighting,
    pls_antecedent_vifs,
    reliability_table,
    total_effects,
)
from seminr.datasets import load_corp_rep, load_mobi
from seminr.evaluate.constructs_in_model import constructs_in_model
from seminr.math.named_matrix import NamedMatrix
from seminr.math.stats import col_cor
from seminr.specify.constructs import composite, mode_A, mode_B, reflective
from seminr.specify.relationships import SMRow

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def centroid_weighting(sm_matrix, construct_scores, dependant, paths_matrix):  # noqa: ARG001
    """Centroid scheme: sign of the score correlation for every adjacent pair."""
    names = paths_matrix.rows
    cors = col_cor(construct_scores.values, construct_scores.values)
    mask = paths_matrix.values + paths_matrix.values.T
    return NamedMatrix(names, names, np.ascontiguousarray(np.sign(cors) * mask))


SCHEMES = {"path": path_weighting, "factorial": path_factorial, "centroid": centroid_weighting}


def to_frame(dataset) -> pd.DataFrame:
    return pd.DataFrame(dataset.values, columns=list(dataset.columns))


def simulate(n: int = 300, seed: int = 20240611) -> pd.DataFrame:
    """Data from a known model: factors X (4 items), M (3), Y (4); composite F (3); item Z."""
    rng = np.random.default_rng(seed)
    f_items = rng.multivariate_normal(
        np.zeros(3), [[1, 0.3, 0.2], [0.3, 1, 0.25], [0.2, 0.25, 1]], size=n
    )
    f_score = f_items @ np.array([0.6, 0.4, 0.3])
    f_score /= f_score.std()
    x = 0.3 * f_score + np.sqrt(1 - 0.09) * rng.standard_normal(n)
    zz = 0.2 * x + np.sqrt(1 - 0.04) * rng.standard_normal(n)
    m = 0.45 * x + 0.3 * f_score
    m += np.sqrt(max(1 - m.var(), 0.1)) * rng.standard_normal(n)
    y = 0.35 * m + 0.25 * x + 0.2 * zz
    y += np.sqrt(max(1 - y.var(), 0.1)) * rng.standard_normal(n)

    def indicators(factor, loadings, prefix):
        return {
            f"{prefix}{i + 1}": lam * factor + np.sqrt(1 - lam**2) * rng.standard_normal(n)
            for i, lam in enumerate(loadings)
        }

    cols = {}
    cols.update(indicators(x, [0.8, 0.75, 0.7, 0.65], "x"))
    cols.update({f"f{i + 1}": f_items[:, i] for i in range(3)})
    cols.update(indicators(m, [0.85, 0.8, 0.7], "m"))
    cols.update(indicators(y, [0.8, 0.8, 0.75, 0.6], "y"))
    cols["z"] = zz
    # a 1-7 rating scale, as survey data, with a few cells coded -99 (missing)
    frame = pd.DataFrame({k: np.clip(np.round(4 + 1.2 * v), 1, 7) for k, v in cols.items()})
    for col in ("x2", "m3", "y1"):
        frame.loc[rng.choice(n, size=6, replace=False), col] = -99
    return frame


MOBI_BLOCKS = {
    "Image": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}
MOBI_PATHS = [
    ("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
    ("Expectation", "Value"), ("Expectation", "Satisfaction"),
    ("Value", "Satisfaction"), ("Satisfaction", "Loyalty"),
]  # fmt: skip

ECSI_BLOCKS = {
    "Image": ["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"],
    "Expectation": ["CUEX1", "CUEX2", "CUEX3"],
    "Quality": ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7"],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": ["CUSA1", "CUSA2", "CUSA3"],
    "Complaints": ["CUSCO"],
    "Loyalty": ["CUSL1", "CUSL2", "CUSL3"],
}
ECSI_PATHS = [
    ("Image", "Expectation"), ("Image", "Satisfaction"), ("Image", "Loyalty"),
    ("Expectation", "Quality"), ("Expectation", "Value"), ("Expectation", "Satisfaction"),
    ("Quality", "Value"), ("Quality", "Satisfaction"), ("Value", "Satisfaction"),
    ("Satisfaction", "Complaints"), ("Satisfaction", "Loyalty"), ("Complaints", "Loyalty"),
]  # fmt: skip

CORP_BLOCKS = {
    "QUAL": [f"qual_{i}" for i in range(1, 9)],
    "PERF": [f"perf_{i}" for i in range(1, 6)],
    "CSOR": [f"csor_{i}" for i in range(1, 6)],
    "ATTR": ["attr_1", "attr_2", "attr_3"],
    "COMP": ["comp_1", "comp_2", "comp_3"],
    "LIKE": ["like_1", "like_2", "like_3"],
    "CUSA": ["cusa"],
    "CUSL": ["cusl_1", "cusl_2", "cusl_3"],
}
CORP_PATHS = [
    (src, dst) for src in ("QUAL", "PERF", "CSOR", "ATTR") for dst in ("COMP", "LIKE")
] + [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")]

SIM_BLOCKS = {
    "X": ["x1", "x2", "x3", "x4"],
    "F": ["f1", "f2", "f3"],
    "Z": ["z"],
    "M": ["m1", "m2", "m3"],
    "Y": ["y1", "y2", "y3", "y4"],
}
SIM_PATHS = [("X", "F"), ("X", "M"), ("F", "M"), ("X", "Z"), ("M", "Y"), ("X", "Y"), ("Z", "Y")]


def case_model(blocks, paths, mode_b=(), consistent=False):
    """seminr specification, lavaan syntax and table rows for one model."""
    mm = []
    rows = []
    lines = []
    for name, items in blocks.items():
        if name in mode_b:
            mm.append(composite(name, items, mode_B))
            op = "<~"
        else:
            mm.append(reflective(name, items) if consistent else composite(name, items, mode_A))
            op = "=~"
        rows += [[name, op, item] for item in items]
        lines.append(f"{name} {op} {' + '.join(items)}")
    targets: dict[str, list[str]] = {}
    for src, dst in paths:
        targets.setdefault(dst, []).append(src)
    for dst, srcs in targets.items():
        rows += [[dst, "~", src] for src in srcs]
        lines.append(f"{dst} ~ {' + '.join(srcs)}")
    sm = [SMRow(source=s, target=t) for s, t in paths]
    return mm, sm, rows, "\n".join(lines) + "\n"


#: semwidget reliability names -> seminr's reliability_table columns.
RELIABILITY_COLUMNS = {"alpha": "alpha", "rho_a": "rhoA", "rho_c": "rhoC", "ave": "AVE"}


def own(matrix: NamedMatrix, blocks) -> dict:
    return {c: {i: matrix.get(i, c) for i in items} for c, items in blocks.items()}


def estimates(model, blocks, paths) -> dict:
    mc = constructs_in_model(model)
    names = mc.names
    rel = reliability_table(model)
    h = htmt(model)
    tot = total_effects(model.path_coef)
    fl = fl_criteria_table(model, mc)
    scores = mc.scores.values
    items = [i for c in blocks for i in blocks[c]]
    columns = model.data.columns
    item_values = np.column_stack([model.data.values[:, columns.index(i)] for i in items])
    cross = col_cor(item_values, scores)
    return {
        "paths": [[s, t, model.path_coef.get(s, t)] for s, t in paths],
        "loadings": own(model.outer_loadings, blocks),
        "weights": own(model.outer_weights, blocks),
        "r2": {c: model.r_squared.get("Rsq", c) for c in model.r_squared.cols},
        "r2_adj": {c: model.r_squared.get("AdjRsq", c) for c in model.r_squared.cols},
        "reliability": {
            c: {key: rel.get(c, col) for key, col in RELIABILITY_COLUMNS.items()} for c in names
        },
        "htmt": [
            [names[i], names[j], h.get(names[i], names[j])]
            for i in range(len(names))
            for j in range(i + 1, len(names))
        ],
        "total_effects": [
            [a, b, tot.get(a, b)] for a in names for b in names if tot.get(a, b) != 0
        ],
        "fornell_larcker": {
            a: {b: fl.get(a, b) for b in names if np.isfinite(fl.get(a, b))} for a in names
        },
        "cross_loadings": {
            i: {c: float(cross[k, j]) for j, c in enumerate(mc.scores.cols)}
            for k, i in enumerate(items)
        },
        "item_vif": item_vifs(model, mc),
        "inner_vif": pls_antecedent_vifs(model, mc),
        "iterations": model.iterations,
    }


def boot_summary(boot, blocks, paths) -> dict:
    """SE (sd), mean and 95% percentile bounds of seminr's bootstrap replications."""

    def stat(values):
        v = np.asarray(values, dtype=float)
        lo, hi = np.quantile(v, [0.025, 0.975])
        return {"se": float(v.std(ddof=1)), "mean": float(v.mean()), "lo": lo, "hi": hi}

    names = constructs_in_model(boot.model).names
    return {
        "nboot": boot.boots,
        "fails": boot.fails,
        "seed": boot.seed,
        "paths": [[s, t, stat([m.get(s, t) for m in boot.boot_paths])] for s, t in paths],
        "loadings": {
            c: {i: stat([m.get(i, c) for m in boot.boot_loadings]) for i in items}
            for c, items in blocks.items()
        },
        "weights": {
            c: {i: stat([m.get(i, c) for m in boot.boot_weights]) for i in items}
            for c, items in blocks.items()
        },
        "htmt": [
            [a, b, stat([m.get(a, b) for m in boot.boot_htmt])]
            for k, a in enumerate(names)
            for b in names[k + 1 :]
        ],
    }


def _clean(obj):
    """Plain JSON: floats (NaN as null), lists and dicts."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def write_case(name, data_file, frame, blocks, paths, *, scheme="path", mode_b=(),
               consistent=False, missing_value=None, boots=()):  # fmt: skip
    mm, sm, rows, syntax = case_model(blocks, paths, mode_b, consistent)
    model = estimate_pls(
        frame, mm, sm, inner_weights=SCHEMES[scheme], missing_value=missing_value
    )
    out = {
        "reference": "seminr (Python port) 0.2.1, estimate_pls",
        "data": data_file,
        "nobs": int(model.data.values.shape[0]),
        "syntax": syntax,
        "rows": rows,
        "options": {"scheme": scheme, "consistent": consistent, "missing_value": missing_value},
        "estimates": estimates(model, blocks, paths),
        "bootstrap": [],
    }
    for nboot, seed in boots:
        boot = bootstrap_model(model, nboot, seed=seed)
        out["bootstrap"].append(boot_summary(boot, blocks, paths))
    path = HERE / f"{name}.json"
    path.write_text(json.dumps(_clean(out), indent=1, allow_nan=False) + "\n")
    print("wrote", path.name)


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    mobi = to_frame(load_mobi())
    corp = to_frame(load_corp_rep())
    sim = simulate()
    mobi.to_csv(DATA / "mobi.csv", index=False)
    corp.to_csv(DATA / "corp_rep.csv", index=False)
    sim.to_csv(DATA / "simulated.csv", index=False)

    # same seed as the semwidget test run (exact resamples) + an independent seed
    boots = [(1000, 20240611), (2000, 777)]
    write_case("mobi_path", "mobi.csv", mobi, MOBI_BLOCKS, MOBI_PATHS, boots=boots)
    write_case("mobi_factorial", "mobi.csv", mobi, MOBI_BLOCKS, MOBI_PATHS, scheme="factorial")
    write_case("mobi_centroid", "mobi.csv", mobi, MOBI_BLOCKS, MOBI_PATHS, scheme="centroid")
    write_case(
        "mobi_plsc", "mobi.csv", mobi, MOBI_BLOCKS, MOBI_PATHS, consistent=True,
        boots=[(500, 4242)],
    )  # fmt: skip
    write_case("ecsi_modeb", "mobi.csv", mobi, ECSI_BLOCKS, ECSI_PATHS, mode_b=("Image",),
               boots=[(500, 99)])  # fmt: skip
    corp_b = ("QUAL", "PERF", "CSOR", "ATTR")
    write_case("corp_rep_path", "corp_rep.csv", corp, CORP_BLOCKS, CORP_PATHS, mode_b=corp_b,
               missing_value=-99)  # fmt: skip
    write_case("corp_rep_plsc", "corp_rep.csv", corp, CORP_BLOCKS, CORP_PATHS, mode_b=corp_b,
               consistent=True, missing_value=-99)  # fmt: skip
    write_case("simulated_path", "simulated.csv", sim, SIM_BLOCKS, SIM_PATHS, mode_b=("F",),
               missing_value=-99)  # fmt: skip
    write_case("simulated_factorial_plsc", "simulated.csv", sim, SIM_BLOCKS, SIM_PATHS,
               mode_b=("F",), scheme="factorial", consistent=True, missing_value=-99)  # fmt: skip


if __name__ == "__main__":
    main()
