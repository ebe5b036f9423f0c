"""Write the moderation golden files from seminr's Python port.

Run from the repository root with seminr installed (``pip install "seminr==0.2.*"``)::

    python tests/golden_pls/make_moderation_golden.py

seminr (GPL-3.0) is used only here; the JSON it writes under ``tests/golden_pls/moderation/``
holds the lavaan syntax our engine reads (``y ~ x + m + x:m``), seminr's estimates with
``interaction_term(iv, moderator, method=...)`` and its bootstrap (same seed, so the
same resamples; see ``make_pls_golden.py``; with missing cells, of the mean-replaced data, since
seminr would otherwise replace again inside each resample). Cases:

- ``mobi_image_expectation``: ECSI mobile data, Image x Expectation -> Satisfaction.
- ``corp_rep_switching``: the corporate-reputation model of Hair et al. (2017), *A Primer on
  PLS-SEM*, 2nd ed., ch. 7 (switching costs SC moderating CUSA -> CUSL), four Mode B
  drivers, -99 codes with mean replacement.
- ``simulated_two_terms``: the simulated data set of ``make_pls_golden.py``, two product
  terms on one target (M:X and M:Z, a single-item moderator), factorial scheme.

The same cases with ``method=product_indicator`` (Chin, Marcolin & Newsted 2003) go to
``moderation/product_indicator/`` and with ``method=orthogonal`` (Little, Bovaird & Widaman
2006) to ``moderation/orthogonal/``; they also hold seminr's loadings and weights of the
generated indicators (``interaction_loadings``, ``interaction_weights``, keyed ``"A:B"``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from seminr import bootstrap_model, estimate_pls
from seminr.specify.constructs import composite, mode_A, mode_B
from seminr.specify.interactions import (
    interaction_term,
    orthogonal,
    product_indicator,
    two_stage,
)
from seminr.specify.relationships import SMRow

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pls_golden import CORP_BLOCKS, MOBI_BLOCKS, SCHEMES, SIM_BLOCKS, _clean  # noqa: E402

OUT = HERE / "moderation"
METHODS = {two_stage: "two_stage", product_indicator: "product_indicator",
           orthogonal: "orthogonal"}  # fmt: skip


def write_case(name, data_file, blocks, paths, *, mode_b=(), scheme="path",
               missing_value=None, boots=(), method=two_stage):  # fmt: skip
    """``paths`` are (source, target) with sources ``"A:B"`` for the product terms."""
    frame = pd.read_csv(HERE / "data" / data_file)
    mm = [composite(c, items, mode_B if c in mode_b else mode_A) for c, items in blocks.items()]
    terms = list(dict.fromkeys(s for s, _ in paths if ":" in s))
    mm += [interaction_term(*t.split(":"), method=method) for t in terms]
    seminr_name = {t: t.replace(":", "*") for t in terms}
    sm = [SMRow(source=seminr_name.get(s, s), target=t) for s, t in paths]
    model = estimate_pls(
        frame, mm, sm, inner_weights=SCHEMES[scheme], missing_value=missing_value
    )
    lines = [f"{c} {'<~' if c in mode_b else '=~'} {' + '.join(i)}" for c, i in blocks.items()]
    targets: dict[str, list[str]] = {}
    for s, t in paths:
        targets.setdefault(t, []).append(s)
    lines += [f"{t} ~ {' + '.join(srcs)}" for t, srcs in targets.items()]

    def key(s):
        return seminr_name.get(s, s)

    out = {
        "reference": "seminr (Python port) 0.2.1, estimate_pls with "
                     f"interaction_term({METHODS[method]})",
        "method": METHODS[method],
        "data": data_file,
        "syntax": "\n".join(lines) + "\n",
        "options": {"scheme": scheme, "missing_value": missing_value},
        "paths": [[s, t, model.path_coef.get(key(s), t)] for s, t in paths],
        "r2": {c: model.r_squared.get("Rsq", c) for c in model.r_squared.cols},
        "loadings": {
            c: {i: model.outer_loadings.get(i, c) for i in items} for c, items in blocks.items()
        },
        "weights": {
            c: {i: model.outer_weights.get(i, c) for i in items} for c, items in blocks.items()
        },
        "bootstrap": [],
    }
    if method is not two_stage:
        for key_name, matrix in (("interaction_loadings", model.outer_loadings),
                                 ("interaction_weights", model.outer_weights)):  # fmt: skip
            out[key_name] = {
                t: {f"{a}*{b}": matrix.get(f"{a}*{b}", key(t))
                    for a in blocks[t.split(":")[0]] for b in blocks[t.split(":")[1]]}
                for t in terms
            }  # fmt: skip
    if missing_value is not None and boots:
        # seminr mean-replaces again inside each resample; semwidget (as SmartPLS) once on
        # the full sample. Bootstrapping the once-replaced data makes the resamples the same.
        filled = frame.replace(missing_value, np.nan)
        model = estimate_pls(
            filled.fillna(filled.mean()), mm, sm, inner_weights=SCHEMES[scheme]
        )
    for nboot, seed in boots:
        boot = bootstrap_model(model, nboot, seed=seed)
        stats = []
        for s, t in paths:
            v = np.array([m.get(key(s), t) for m in boot.boot_paths], dtype=float)
            lo, hi = np.quantile(v, [0.025, 0.975])
            stats.append([s, t, {"se": v.std(ddof=1), "mean": v.mean(), "lo": lo, "hi": hi}])
        out["bootstrap"].append({"nboot": nboot, "seed": seed, "fails": boot.fails,
                                 "paths": stats})  # fmt: skip
    folder = OUT if method is two_stage else OUT / METHODS[method]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(_clean(out), indent=1, allow_nan=False) + "\n")
    print("wrote", METHODS[method], name)


def main() -> None:
    for method in METHODS:
        write_cases(method)


def write_cases(method) -> None:
    mobi = {c: MOBI_BLOCKS[c] for c in ("Image", "Expectation", "Satisfaction", "Loyalty")}
    write_case(
        "mobi_image_expectation", "mobi.csv", mobi,
        [("Image", "Satisfaction"), ("Expectation", "Satisfaction"),
         ("Image:Expectation", "Satisfaction"), ("Satisfaction", "Loyalty"),
         ("Image", "Loyalty")],
        boots=[(500, 11)], method=method,
    )  # fmt: skip
    corp = {**CORP_BLOCKS, "SC": ["switch_1", "switch_2", "switch_3", "switch_4"]}
    corp_paths = [
        (src, dst) for src in ("QUAL", "PERF", "CSOR", "ATTR") for dst in ("COMP", "LIKE")
    ] + [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"),
         ("CUSA", "CUSL"), ("SC", "CUSL"), ("CUSA:SC", "CUSL")]  # fmt: skip
    write_case(
        "corp_rep_switching", "corp_rep.csv", corp, corp_paths,
        mode_b=("QUAL", "PERF", "CSOR", "ATTR"), missing_value=-99, boots=[(300, 5)],
        method=method,
    )  # fmt: skip
    sim = {c: SIM_BLOCKS[c] for c in ("X", "Z", "M", "Y")}
    write_case(
        "simulated_two_terms", "simulated.csv", sim,
        [("X", "M"), ("X", "Z"), ("M", "Y"), ("X", "Y"), ("Z", "Y"), ("M:X", "Y"),
         ("M:Z", "Y")],
        scheme="factorial", missing_value=-99, boots=[(300, 8)], method=method,
    )  # fmt: skip


if __name__ == "__main__":
    main()
