"""Bad models, data and options for the PLS engine: one clear SemWidgetError each."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from semwidget.errors import DataError, ModelSpecError, SemWidgetError
from semwidget.pls.fit import fit_pls

MODEL = """
A =~ a1 + a2 + a3
B =~ b1 + b2 + b3
C =~ c1 + c2
B ~ A
C ~ A + B
"""


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 120
    eta_a = rng.standard_normal(n)
    eta_b = 0.5 * eta_a + rng.standard_normal(n)
    eta_c = 0.4 * eta_a + 0.3 * eta_b + rng.standard_normal(n)
    cols = {}
    for name, eta in (("a", eta_a), ("b", eta_b), ("c", eta_c)):
        for i in range(1, 4):
            cols[f"{name}{i}"] = eta + 0.8 * rng.standard_normal(n)
    return pd.DataFrame(cols)


def test_good_model_fits(data):
    assert fit_pls(MODEL, data).converged


def test_zero_variance_indicator(data):
    bad = data.assign(b2=3.0)
    with pytest.raises(DataError, match=r"'b2' of construct 'B' has zero variance") as info:
        fit_pls(MODEL, bad)
    assert info.value.column == "b2"


def test_zero_variance_after_missing_code(data):
    bad = data.assign(c2=-99.0)
    bad.loc[0, "c2"] = 4.0  # one real value, the rest are missing codes
    with pytest.raises(DataError, match="'c2' of construct 'C' has zero variance"):
        fit_pls(MODEL, bad, missing_value=-99)


def test_collinear_mode_b_block(data):
    bad = data.assign(a3=data.a1 - 2 * data.a2)
    model = MODEL.replace("A =~", "A <~")
    with pytest.raises(DataError, match=r"formative \(<~\) block 'A' is perfectly collinear"):
        fit_pls(model, bad)
    with pytest.raises(DataError, match="a1, a2, a3 are linearly dependent"):
        fit_pls(model, bad)
    # the same indicators in a Mode A block are fine
    assert fit_pls(MODEL, bad).converged


def test_duplicated_indicator_column_in_mode_b_block(data):
    bad = data.assign(b3=data.b1)
    with pytest.raises(DataError, match="indicators b1, b3 are linearly dependent"):
        fit_pls(MODEL.replace("B =~", "B <~"), bad)


def test_construct_without_paths(data):
    model = MODEL + "D =~ c3\n"
    with pytest.raises(ModelSpecError, match="construct 'D' has no structural paths") as info:
        fit_pls(model, data)
    assert info.value.name == "D"


def test_model_without_any_path(data):
    with pytest.raises(ModelSpecError, match="construct 'A' has no structural paths"):
        fit_pls("A =~ a1 + a2\nB =~ b1 + b2\n", data)


def test_non_recursive_model(data):
    model = MODEL + "A ~ C\n"
    with pytest.raises(ModelSpecError, match="non-recursive") as info:
        fit_pls(model, data)
    message = str(info.value)
    assert "A -> B -> C -> A" in message or "A -> C -> A" in message


def test_self_loop(data):
    with pytest.raises(ModelSpecError, match="'B ~ B': a construct cannot predict itself"):
        fit_pls(MODEL + "B ~ B\n", data)


def test_unknown_indicator(data):
    with pytest.raises(ModelSpecError, match="indicator 'a9' of construct 'A' is not a column"):
        fit_pls(MODEL.replace("a3", "a9"), data)


def test_unknown_path_variable(data):
    with pytest.raises(ModelSpecError, match="'Q' in 'C ~ Q' is neither a construct"):
        fit_pls(MODEL + "C ~ Q\n", data)


def test_construct_with_both_modes(data):
    with pytest.raises(ModelSpecError, match="'A' is written with both '=~' and '<~'"):
        fit_pls(MODEL + "A <~ c3\n", data)


def test_indicator_in_two_blocks(data):
    with pytest.raises(ModelSpecError, match="'a1' is used by both 'A' and 'C'"):
        fit_pls(MODEL.replace("c1 + c2", "c1 + a1"), data)


def test_higher_order_block(data):
    # A and B keep their own paths, so they cannot be dimensions of H (test_pls_higher_order)
    pattern = r"dimension 'B' of 'H' has a structural path \('B ~ A'\)"
    with pytest.raises(ModelSpecError, match=pattern):
        fit_pls(MODEL + "H =~ A + B\nC ~ H\n", data)


def test_non_numeric_indicator(data):
    bad = data.astype({"b1": object})
    bad.loc[5, "b1"] = "n/a"
    with pytest.raises(DataError, match=r"column 'b1' holds text such as 'n/a' \(row 5\)"):
        fit_pls(MODEL, bad)


def test_all_missing_indicator(data):
    with pytest.raises(DataError, match="'a2' has no observed values"):
        fit_pls(MODEL, data.assign(a2=np.nan))


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"scheme": "pathway"}, "scheme must be one of path, factorial, centroid"),
        ({"boot_ci": "normal"}, "boot_ci must be 'percentile' or 'bca'"),
        ({"bootstrap": -5}, "bootstrap must be a whole number"),
        ({"sign_change": "construct"}, "sign_change must be 'none' or 'individual'"),
        ({"missing": "pairwise"}, "missing must be 'mean' or 'listwise'"),
    ],
)
def test_bad_options(data, options, pattern):
    with pytest.raises(SemWidgetError, match=pattern):
        fit_pls(MODEL, data, **options)


def test_bad_model_type(data):
    with pytest.raises(ModelSpecError, match="lavaan syntax"):
        fit_pls(42, data)


def test_syntax_error_is_a_semwidget_error(data):
    with pytest.raises(SemWidgetError):
        fit_pls("A =~ a1 +\n", data)
