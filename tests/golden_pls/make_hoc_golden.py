"""Write the higher-order-construct golden files from seminr's Python port.

Run from the repository root with seminr installed (``pip install "seminr==0.2.*"``)::

    python tests/golden_pls/make_hoc_golden.py

seminr (GPL-3.0) is used only here: ``higher_composite(name, dimensions, method=two_stage,
weights=mode_A or mode_B)`` is the disjoint two-stage approach (stage one links the
dimensions to the HOC's antecedents and outcomes). The JSON under ``tests/golden_pls/hoc/``
holds the lavaan syntax (``HOC =~ LOC1 + LOC2`` or ``<~``), seminr's stage-two paths, the
HOC's loadings and weights on the dimension scores, R², and a same-seed bootstrap of the
paths (seminr redoes both stages in every resample).

Cases: ``mobi_perception`` (Perception =~ Quality + Value between Expectation and
Satisfaction, ECSI mobi) and ``corp_rep_reputation`` (REP <~ COMP + LIKE, a Mode B HOC
driven by four formative constructs, leading to CUSA and CUSL; corp_rep, -99 codes,
bootstrap on the mean-replaced data as in make_moderation_golden.py).

With product terms (``tests/golden_pls/hoc_moderation/``): ``mobi_perception_x_expectation``
adds ``Satisfaction ~ Perception:Expectation`` to the Perception model, by seminr's
``interaction_term(method = two_stage)`` on the disjoint two-stage HOC (seminr forms it in
the stage-two model, where Perception is measured by the dimension scores); ``..._<method>``
the same by ``product_indicator`` and ``orthogonal``. The
``*_repeated_<method>`` cases build the repeated-indicators model by hand in seminr (the HOC
a composite of copies of its dimensions' indicators, ``Quality ~ Perception`` and ``Value ~
Perception``), with the interaction on that block by each of seminr's three methods.
``corp_rep_reputation_x_cusa*``: the Mode B HOC REP <~ COMP + LIKE moderating CUSA -> CUSL
(-99 codes; the bootstrap on the mean-replaced data), disjoint two-stage with a two-stage
interaction, and repeated indicators (``COMP ~> REP``, ``LIKE ~> REP``) with product
indicators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from seminr import bootstrap_model, estimate_pls
from seminr.specify import interactions
from seminr.specify.constructs import composite, higher_composite, mode_A, mode_B
from seminr.specify.relationships import SMRow

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pls_golden import CORP_BLOCKS, MOBI_BLOCKS, _clean  # noqa: E402

ECSI = {"Quality": [f"PERQ{i}" for i in range(1, 8)], **MOBI_BLOCKS}


def write_case(name, data_file, blocks, hocs, paths, *, mode_b=(), missing_value=None,
               nboot=300, seed=5):  # fmt: skip
    frame = pd.read_csv(HERE / "data" / data_file)
    mm = [composite(c, i, mode_B if c in mode_b else mode_A) for c, i in blocks.items()]
    mm += [higher_composite(h, dims, weights=mode_B if h in mode_b else mode_A)
           for h, dims in hocs.items()]  # fmt: skip
    sm = [SMRow(source=s, target=t) for s, t in paths]
    model = estimate_pls(frame, mm, sm, missing_value=missing_value)
    lines = [f"{c} {'<~' if c in mode_b else '=~'} {' + '.join(i)}" for c, i in blocks.items()]
    lines += [f"{h} {'<~' if h in mode_b else '=~'} {' + '.join(d)}" for h, d in hocs.items()]
    targets: dict[str, list[str]] = {}
    for s, t in paths:
        targets.setdefault(t, []).append(s)
    lines += [f"{t} ~ {' + '.join(s)}" for t, s in targets.items()]
    out = {
        "reference": "seminr (Python port) 0.2.1, higher_composite(method=two_stage)",
        "data": data_file,
        "syntax": "\n".join(lines) + "\n",
        "options": {"missing_value": missing_value, "hoc": "disjoint"},
        "paths": [[s, t, model.path_coef.get(s, t)] for s, t in paths],
        "r2": {c: model.r_squared.get("Rsq", c) for c in model.r_squared.cols},
        "hoc_loadings": {h: {d: model.outer_loadings.get(d, h) for d in dims}
                         for h, dims in hocs.items()},
        "hoc_weights": {h: {d: model.outer_weights.get(d, h) for d in dims}
                        for h, dims in hocs.items()},
        "bootstrap": [],
    }  # fmt: skip
    out["bootstrap"].append(_bootstrap(frame, mm, sm, paths, missing_value, nboot, seed))
    _write("hoc", name, out)


def _bootstrap(frame, mm, sm, paths, missing_value, nboot, seed):
    """seminr's same-seed bootstrap of the paths (SE, mean); with missing cells on the once
    mean-replaced data."""
    if missing_value is not None:
        filled = frame.replace(missing_value, np.nan)
        frame = filled.fillna(filled.mean())
    boot = bootstrap_model(estimate_pls(frame, mm, sm), nboot, seed=seed)
    stats = []
    for src, dst in paths:
        v = np.array([m.get(src, dst) for m in boot.boot_paths], dtype=float)
        stats.append([src.replace("*", ":"), dst, {"se": v.std(ddof=1), "mean": v.mean()}])
    return {"nboot": nboot, "seed": seed, "fails": boot.fails, "paths": stats}


def _write(folder, name, out):
    (HERE / folder).mkdir(exist_ok=True)
    (HERE / folder / f"{name}.json").write_text(json.dumps(_clean(out), indent=1) + "\n")
    print("wrote", name)


def main() -> None:
    blocks = {c: ECSI[c] for c in ("Expectation", "Quality", "Value", "Satisfaction", "Loyalty")}
    write_case(
        "mobi_perception", "mobi.csv", blocks, {"Perception": ["Quality", "Value"]},
        [("Expectation", "Perception"), ("Perception", "Satisfaction"),
         ("Expectation", "Satisfaction"), ("Satisfaction", "Loyalty")],
    )  # fmt: skip
    corp = {c: CORP_BLOCKS[c] for c in ("QUAL", "PERF", "CSOR", "ATTR", "COMP", "LIKE", "CUSA",
                                        "CUSL")}  # fmt: skip
    write_case(
        "corp_rep_reputation", "corp_rep.csv", corp, {"REP": ["COMP", "LIKE"]},
        [(d, "REP") for d in ("QUAL", "PERF", "CSOR", "ATTR")]
        + [("REP", "CUSA"), ("REP", "CUSL"), ("CUSA", "CUSL")],
        mode_b=("QUAL", "PERF", "CSOR", "ATTR", "REP"), missing_value=-99, seed=8,
    )  # fmt: skip
    interaction_cases()


PERCEPTION = {
    "data": "mobi.csv", "hoc": "Perception", "dims": ["Quality", "Value"],
    "blocks": ("Expectation", "Quality", "Value", "Satisfaction", "Loyalty"),
    "paths": [("Expectation", "Perception"), ("Perception", "Satisfaction"),
              ("Expectation", "Satisfaction"), ("Perception*Expectation", "Satisfaction"),
              ("Satisfaction", "Loyalty")],
    "term": ("Perception", "Expectation"), "mode_b": (), "missing_value": None,
}  # fmt: skip
#: A Mode B HOC with four formative drivers and -99 codes; REP moderates CUSA -> CUSL.
REPUTATION = {
    "data": "corp_rep.csv", "hoc": "REP", "dims": ["COMP", "LIKE"],
    "blocks": ("QUAL", "PERF", "CSOR", "ATTR", "COMP", "LIKE", "CUSA", "CUSL"),
    "paths": [("QUAL", "REP"), ("PERF", "REP"), ("CSOR", "REP"), ("ATTR", "REP"),
              ("REP", "CUSA"), ("REP", "CUSL"), ("CUSA", "CUSL"), ("REP*CUSA", "CUSL")],
    "term": ("REP", "CUSA"), "mode_b": ("QUAL", "PERF", "CSOR", "ATTR", "REP"),
    "missing_value": -99,
}  # fmt: skip


def write_interaction_case(name, method, case, *, repeated, nboot=200, seed=9):
    """A HOC model with a product term on its HOC (see the module notes)."""
    frame = pd.read_csv(HERE / "data" / case["data"])
    every = {**ECSI, **CORP_BLOCKS}
    blocks = {c: every[c] for c in case["blocks"]}
    hoc, dims, mode_b = case["hoc"], case["dims"], case["mode_b"]
    mm = [composite(c, i, mode_B if c in mode_b else mode_A) for c, i in blocks.items()]
    paths = list(case["paths"])
    hoc_mode = mode_B if hoc in mode_b else mode_A
    if repeated:
        copies = [f"{i}.{hoc}" for d in dims for i in blocks[d]]
        for c in copies:
            frame[c] = frame[c.split(".")[0]]
        mm.append(composite(hoc, copies, hoc_mode))
        paths += ([(d, hoc) for d in dims] if hoc in mode_b else [(hoc, d) for d in dims])
    else:
        mm.append(higher_composite(hoc, dims, weights=hoc_mode))
    mm.append(interactions.interaction_term(*case["term"],
                                            method=getattr(interactions, method)))  # fmt: skip
    sm = [SMRow(source=s, target=t) for s, t in paths]
    missing_value = case["missing_value"]
    model = estimate_pls(frame, mm, sm, missing_value=missing_value)
    lines = [f"{c} {'<~' if c in mode_b else '=~'} {' + '.join(i)}" for c, i in blocks.items()]
    lines.append(f"{hoc} {'<~' if hoc in mode_b else '=~'} {' + '.join(dims)}")
    targets: dict[str, list[str]] = {}
    for src, dst in case["paths"]:
        targets.setdefault(dst, []).append(src.replace("*", ":"))
    lines += [f"{t} ~ {' + '.join(v)}" for t, v in targets.items()]
    out = {
        "reference": "seminr (Python port) 0.2.1, " + (
            "repeated indicators by hand" if repeated else "higher_composite(two_stage)")
        + f" + interaction_term(method={method})",
        "data": case["data"], "syntax": "\n".join(lines) + "\n",
        "options": {"hoc": "repeated" if repeated else "disjoint", "interaction": method,
                    "missing_value": missing_value},
        "term": ":".join(case["term"]),
        "paths": [[s.replace("*", ":"), t, model.path_coef.get(s, t)] for s, t in paths],
        "r2": {c: model.r_squared.get("Rsq", c) for c in model.r_squared.cols},
    }  # fmt: skip
    out["bootstrap"] = [_bootstrap(frame, mm, sm, paths, missing_value, nboot, seed)]
    _write("hoc_moderation", name, out)


def interaction_cases() -> None:
    for method in ("two_stage", "product_indicator", "orthogonal"):
        tail = "" if method == "two_stage" else f"_{method}"
        write_interaction_case(f"mobi_perception_x_expectation{tail}", method, PERCEPTION,
                               repeated=False)  # fmt: skip
        write_interaction_case(f"mobi_perception_x_expectation_repeated_{method}", method,
                               PERCEPTION, repeated=True)  # fmt: skip
    write_interaction_case("corp_rep_reputation_x_cusa", "two_stage", REPUTATION,
                           repeated=False, seed=21)  # fmt: skip
    write_interaction_case("corp_rep_reputation_x_cusa_repeated_product_indicator",
                           "product_indicator", REPUTATION, repeated=True, seed=22)  # fmt: skip


if __name__ == "__main__":
    main()
