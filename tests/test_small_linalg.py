"""cb.small_linalg gives numpy.linalg's numbers to the bit, and NaN/None where it raises."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from semwidget.cb import small_linalg


def _spd(p: int, seed: int) -> np.ndarray:
    a = np.random.default_rng(seed).normal(size=(p, p))
    return a @ a.T + p * np.eye(p)


@pytest.mark.parametrize("p", [1, 3, 9, 21])
def test_same_numbers_as_numpy_linalg(p: int) -> None:
    a = _spd(p, p)
    b = np.random.default_rng(1).normal(size=p)
    assert np.array_equal(small_linalg.cholesky(a), np.linalg.cholesky(a))
    assert np.array_equal(small_linalg.inv(a), np.linalg.inv(a))
    assert np.array_equal(small_linalg.solve(a, b), np.linalg.solve(a, b))
    assert small_linalg.cond(a) == np.linalg.cond(a)
    assert small_linalg.slogdet(a) == tuple(map(float, np.linalg.slogdet(a)))
    assert small_linalg.slogdet(-a) == tuple(map(float, np.linalg.slogdet(-a)))


def test_failures_are_none_or_nan_without_a_warning() -> None:
    not_pd = np.array([[1.0, 2.0], [2.0, 1.0]])
    singular = np.array([[1.0, 2.0], [2.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(invalid="ignore"):
            assert small_linalg.cholesky(not_pd) is None
            assert np.isnan(small_linalg.inv(np.zeros((2, 2)))).all()
            assert np.isnan(small_linalg.solve(np.zeros((2, 2)), np.ones(2))).all()
            assert small_linalg.cond(np.zeros((2, 2))) == np.inf
    assert small_linalg.cond(singular) > 1e15
    # the public function agrees that these fail
    with pytest.raises(np.linalg.LinAlgError):
        np.linalg.cholesky(not_pd)


def test_the_public_functions_stand_in_without_numpys_gufuncs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(small_linalg, "_lapack", None)
    a = _spd(4, 2)
    b = np.ones(4)
    assert np.array_equal(small_linalg.cholesky(a), np.linalg.cholesky(a))
    assert np.array_equal(small_linalg.inv(a), np.linalg.inv(a))
    assert np.array_equal(small_linalg.solve(a, b), np.linalg.solve(a, b))
    assert small_linalg.cond(a) == np.linalg.cond(a)
    assert small_linalg.slogdet(a) == tuple(map(float, np.linalg.slogdet(a)))
    assert small_linalg.cholesky(-np.eye(2)) is None
    assert np.isnan(small_linalg.inv(np.zeros((2, 2)))).all()
    assert np.isnan(small_linalg.solve(np.zeros((2, 2)), np.ones(2))).all()
