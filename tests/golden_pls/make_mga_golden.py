"""Write the PLS-MGA golden files from seminr's Python port (``estimate_pls_mga``).

Run from the repository root with seminr installed (``pip install "seminr==0.2.*"``)::

    python tests/golden_pls/make_mga_golden.py

seminr (GPL-3.0) is used only here. Each case splits a data set into two groups, runs
seminr's ``estimate_pls_mga`` (per-group estimates, bootstrap means and Henseler's PLS-MGA
p-value per path) and writes JSON under ``tests/golden_pls/mga/``. The per-group bootstrap
rows are passed to seminr explicitly: group ``g`` draws from
``Generator(PCG64(group_seed(seed, g)))`` as semwidget does (independent streams per group), so
both programs fit the same resamples. With missing cells each group's cells are mean-replaced
within the group first (semwidget's treatment; seminr would replace again in each resample).

Cases:

- ``mobi_cusco``: ECSI mobi, split by ``CUSCO < 6`` (seminr's documented MGA example).
- ``corp_rep_servicetype``: the corporate-reputation model of Hair et al. (2017) by
  ``servicetype`` (the MGA example of Hair, Sarstedt, Ringle & Gudergan 2018, *Advanced
  Issues in PLS-SEM*, ch. 4), four Mode B drivers, -99 codes.
- ``genre``: the seed-2 live-streaming model on data simulated with a genre effect on
  INT -> CLE (written to ``data/genre.csv``; the notebook's data).
- ``genre_int_psn_<method>``: the same with the product term ``CLE ~ ... + INT:PSN`` by
  seminr's ``interaction_term(method = two_stage / product_indicator / orthogonal)``; seminr
  rebuilds the interaction in each group and each group's resamples.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from seminr import estimate_pls
from seminr.mga.estimate_pls_mga import estimate_pls_mga
from seminr.specify import interactions
from seminr.specify.constructs import composite, mode_A, mode_B
from seminr.specify.relationships import SMRow

from semwidget.pls.mga import group_seed

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_pls_golden import (  # noqa: E402
    CORP_BLOCKS,
    CORP_PATHS,
    MOBI_BLOCKS,
    MOBI_PATHS,
    _clean,
)

GENRE_BLOCKS = {
    "INT": ["INT01", "INT02", "INT03", "INT04"],
    "INF": ["INF01", "INF02", "INF03", "INF04"],
    "PSN": ["PSN01", "PSN02", "PSN03", "PSN04", "PSN05"],
    "CLE": ["CLE01", "CLE02", "CLE03", "CLE04"],
    "VCC": ["VCC01", "VCC02", "VCC03", "VCC04", "VCC05"],
}
GENRE_PATHS = [("INT", "CLE"), ("INF", "CLE"), ("PSN", "CLE"), ("CLE", "VCC")]
GENRE_LOADINGS = {
    "INT": [0.750, 0.741, 0.800, 0.802], "INF": [0.725, 0.697, 0.744, 0.744],
    "PSN": [0.719, 0.716, 0.828, 0.811, 0.789], "CLE": [0.859, 0.878, 0.905, 0.818],
    "VCC": [0.844, 0.870, 0.842, 0.894, 0.881],
}  # fmt: skip


def simulate_genre(n_per_group: int = 150, seed: int = 2) -> pd.DataFrame:
    """Seed-2 model data, two genres; INT -> CLE is 0.45 for "game" and 0.10 for "shopping".

    Exogenous INT, INF, PSN correlate 0.5; CLE = b_INT INT + 0.25 INF + 0.25 PSN + e,
    VCC = 0.6 CLE + e (unit variances); items on a 1-5 scale from the published loadings.
    The genre moderation shows both as a group difference and as an INT x genre product.
    """
    rng = np.random.default_rng(seed)
    frames = []
    for genre, b_int in (("game", 0.45), ("shopping", 0.10)):
        phi = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
        x = rng.multivariate_normal(np.zeros(3), phi, size=n_per_group)
        signal = x @ np.array([b_int, 0.25, 0.25])
        cle = signal + np.sqrt(max(1 - signal.var(), 0.2)) * rng.standard_normal(n_per_group)
        cle /= cle.std()
        vcc = 0.6 * cle + 0.8 * rng.standard_normal(n_per_group)
        eta = {"INT": x[:, 0], "INF": x[:, 1], "PSN": x[:, 2], "CLE": cle, "VCC": vcc}
        cols = {}
        for c, items in GENRE_BLOCKS.items():
            for item, lam in zip(items, GENRE_LOADINGS[c], strict=True):
                v = lam * eta[c] + np.sqrt(1 - lam**2) * rng.standard_normal(n_per_group)
                cols[item] = np.clip(np.round(3.5 + 0.9 * v), 1, 5)
        frame = pd.DataFrame(cols)
        frame.insert(0, "genre", genre)
        frames.append(frame)
    # genres interleaved, as survey rows come in
    out = pd.concat(frames, ignore_index=True)
    return out.iloc[rng.permutation(len(out))].reset_index(drop=True)


def syntax(blocks, paths, mode_b=()):
    lines = [f"{c} {'<~' if c in mode_b else '=~'} {' + '.join(i)}" for c, i in blocks.items()]
    targets: dict[str, list[str]] = {}
    for s, t in paths:
        targets.setdefault(t, []).append(s)
    return "\n".join(lines + [f"{t} ~ {' + '.join(s)}" for t, s in targets.items()]) + "\n"


def write_case(name, data_file, frame, group, blocks, paths, *, mode_b=(), missing_value=None,
               nboot=500, seed=7, interaction=None):  # fmt: skip
    """``interaction``: ``(iv, moderator, method name)`` of one product term ``iv:moderator``
    (its path is in ``paths`` as ``("iv:moderator", target)``)."""
    labels = list(pd.unique(frame[group]))
    items = [i for c in blocks for i in blocks[c]]
    work = frame.copy()
    if missing_value is not None:
        work[items] = work[items].replace(missing_value, np.nan)
        work[items] = work.groupby(group)[items].transform(lambda s: s.fillna(s.mean()))
    mm = [composite(c, i, mode_B if c in mode_b else mode_A) for c, i in blocks.items()]
    if interaction is not None:
        iv, moderator, method = interaction
        mm.append(interactions.interaction_term(iv, moderator,
                                                method=getattr(interactions, method)))  # fmt: skip
    sm = [SMRow(source=s.replace(":", "*"), target=t) for s, t in paths]
    model = estimate_pls(work.drop(columns=[group]), mm, sm)
    keep = (work[group] == labels[0]).to_numpy()
    indices = []
    for g, n_g in enumerate((int(keep.sum()), int((~keep).sum()))):
        gen = np.random.Generator(np.random.PCG64(group_seed(seed, g)))
        indices.append([gen.integers(0, n_g, size=n_g, dtype=np.intp) for _ in range(nboot)])
    rows = estimate_pls_mga(model, keep, nboot=nboot, group1_indices=indices[0],
                            group2_indices=indices[1])  # fmt: skip
    out = {
        "reference": "seminr (Python port) 0.2.1, estimate_pls_mga",
        "data": data_file,
        "group": group,
        "groups": [str(v) for v in labels],
        "syntax": syntax(blocks, paths, mode_b),
        "options": {"missing_value": missing_value, "bootstrap": nboot, "seed": seed,
                    "interaction": interaction[2] if interaction else "two_stage"},
        "paths": [
            {"source": r.source.replace("*", ":"), "target": r.target, "est_a": r.group1_beta,
             "est_b": r.group2_beta, "diff": r.diff, "boot_mean_a": r.group1_beta_mean,
             "boot_mean_b": r.group2_beta_mean, "p_henseler": r.pls_mga_p}
            for r in rows
        ],
    }  # fmt: skip
    (HERE / "mga").mkdir(exist_ok=True)
    (HERE / "mga" / f"{name}.json").write_text(json.dumps(_clean(out), indent=1) + "\n")
    print("wrote", name)


def main() -> None:
    mobi = pd.read_csv(HERE / "data" / "mobi.csv")
    mobi.insert(0, "cusco", np.where(mobi["CUSCO"] < 6, "low", "high"))
    mobi.to_csv(HERE / "data" / "mobi_groups.csv", index=False)
    write_case("mobi_cusco", "mobi_groups.csv", mobi, "cusco", MOBI_BLOCKS, MOBI_PATHS)
    corp = pd.read_csv(HERE / "data" / "corp_rep.csv")
    write_case("corp_rep_servicetype", "corp_rep.csv", corp, "servicetype", CORP_BLOCKS,
               CORP_PATHS, mode_b=("QUAL", "PERF", "CSOR", "ATTR"), missing_value=-99,
               nboot=300, seed=11)  # fmt: skip
    genre = simulate_genre()
    genre.to_csv(HERE / "data" / "genre.csv", index=False)
    write_case("genre", "genre.csv", genre, "genre", GENRE_BLOCKS, GENRE_PATHS, nboot=500,
               seed=3)  # fmt: skip
    moderated = [*GENRE_PATHS, ("INT:PSN", "CLE")]
    for method in ("two_stage", "product_indicator", "orthogonal"):
        write_case(f"genre_int_psn_{method}", "genre.csv", genre, "genre", GENRE_BLOCKS,
                   moderated, nboot=300, seed=5, interaction=("INT", "PSN", method))  # fmt: skip


if __name__ == "__main__":
    main()
