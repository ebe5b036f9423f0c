"""Live counts of a drawn model stay linear in its size and equal the full table's counts."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from model_texts import HS, POLDEM

from semwidget import parse
from semwidget.model.partable import build, model_counts

EXTRA = [
    "",
    "f1 ~~ f2\n",
    "y ~ x1 + x2\nz ~ y + x3\n",
    "f ~ x1\ng ~ f\nh ~ f\nw ~ x2\n",
    "y1 ~~ y2\nf ~~ 0*g\n",
    "f =~ a + b + c\ng =~ d + e\nh =~ k\nf ~ g + h\nu ~ v\nu ~~ f\n",
]


def _full_npar(text: str, **options: bool) -> int:
    full = build(parse(text), None, **options)
    return int(full["free"].max()) if (full["free"] > 0).any() else 0


@pytest.mark.parametrize("text", [HS, POLDEM, *EXTRA[1:]])
@pytest.mark.parametrize("options", [{}, {"orthogonal": True}, {"std_lv": True},
                                     {"meanstructure": True, "orthogonal": True}])
def test_counted_pairs_equal_the_full_table(text: str, options: dict[str, bool]) -> None:
    assert model_counts(parse(text), **options)["npar"] == _full_npar(text, **options)


NAME = st.sampled_from(["f", "g", "h", "x1", "x2", "x3", "y", "z"])
STATEMENT = st.one_of(
    st.tuples(st.sampled_from(["f", "g", "h"]), st.lists(NAME, min_size=1, max_size=3)).map(
        lambda t: f"{t[0]} =~ {' + '.join(t[1])}"),
    st.tuples(NAME, st.lists(NAME, min_size=1, max_size=3)).map(
        lambda t: f"{t[0]} ~ {' + '.join(t[1])}"),
    st.tuples(NAME, NAME, st.sampled_from(["", "0*"])).map(lambda t: f"{t[0]} ~~ {t[2]}{t[1]}"),
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(lines=st.lists(STATEMENT, min_size=1, max_size=6), orthogonal=st.booleans())
def test_counted_pairs_equal_the_full_table_for_random_models(lines: list[str],
                                                               orthogonal: bool) -> None:
    text = "\n".join(lines) + "\n"
    try:
        expected = _full_npar(text, orthogonal=orthogonal)
    except Exception:  # noqa: BLE001 - a model the table refuses is refused by the counts too
        assert model_counts(parse(text), orthogonal=orthogonal)["message"]
        return
    assert model_counts(parse(text), orthogonal=orthogonal)["npar"] == expected


def _cfa(n_nodes: int) -> str:
    k = 5
    return "".join(f"f{i} =~ " + " + ".join(f"v{i}_{j}" for j in range(k)) + "\n"
                   for i in range(n_nodes // (k + 1)))


def test_counts_grow_linearly_with_the_model() -> None:
    def took(n: int) -> float:
        table = parse(_cfa(n))
        start = time.perf_counter()
        model_counts(table)
        return time.perf_counter() - start

    took(600)  # warm up
    small, large = took(1200), took(12000)
    # 10x the nodes (and 100x the latent covariances): linear time is ~10x; allow noise.
    assert large < 40 * small + 0.5, (small, large)
