"""Command-line options of the PLS engine, for ``semwidget fit ... --engine pls``.

``semwidget/cli.py`` owns the command; it calls :func:`add_pls_arguments` on its ``fit``
sub-parser and passes :func:`pls_kwargs_from_args` to ``fit(..., engine="pls")``.
"""

from __future__ import annotations

import argparse
from typing import Any

from semwidget.engines.pls_estimate import SCHEMES

#: (flags, argparse keyword arguments) of every PLS option.
_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--scheme",), {"choices": SCHEMES, "default": "path",
                     "help": "PLS inner weighting scheme (default: path)"}),
    (("--consistent",), {"action": "store_true",
                         "help": "consistent PLS (PLSc) for the =~ constructs"}),
    (("--bootstrap",), {"type": int, "default": 0, "metavar": "N",
                        "help": "bootstrap resamples (default: 0, none)"}),
    (("--seed",), {"type": int, "default": None, "metavar": "S",
                   "help": "random seed of the bootstrap"}),
    (("--missing-value",), {"type": float, "default": None, "metavar": "V",
                            "help": "code read as missing, e.g. -99"}),
    (("--missing",), {"choices": ("mean", "listwise"), "default": "mean",
                      "help": "PLS missing data: mean replacement (default) or listwise"}),
    (("--boot-ci",), {"choices": ("percentile", "bca"), "default": "percentile",
                      "help": "bootstrap confidence interval (default: percentile)"}),
    (("--sign-change",), {"choices": ("none", "individual"), "default": "none",
                          "help": "bootstrap sign changes (default: none, as SmartPLS)"}),
    (("--max-iter",), {"type": int, "default": 300, "metavar": "N",
                       "help": "PLS iteration cap (default: 300)"}),
    (("--tol",), {"type": float, "default": 1e-7,
                  "help": "PLS stop criterion on the weight change (default: 1e-7)"}),
]  # fmt: skip

#: ``fit_pls`` keywords, which are also the argparse destinations of the flags.
_KEYWORDS = ("scheme", "consistent", "bootstrap", "seed", "missing_value", "missing",
             "boot_ci", "sign_change", "max_iter", "tol")  # fmt: skip
#: Keywords whose ``None`` is a real value rather than "not given".
_NONE_OK = ("seed", "missing_value")


def add_pls_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the PLS options to ``parser`` (flags it already has, like ``--seed``, are kept).

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The ``fit`` sub-command parser.
    """
    group = parser.add_argument_group("PLS-SEM options (--engine pls)")
    existing = set(parser._option_string_actions)  # argparse has no public view of these
    for flags, kwargs in _OPTIONS:
        if not existing.intersection(flags):
            group.add_argument(*flags, **kwargs)


def pls_kwargs_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments for ``fit_pls`` from parsed arguments.

    Options the parser did not define (or left at ``None`` where that means "default") are
    left out, so ``fit_pls`` applies its own defaults.
    """
    return {
        key: getattr(args, key)
        for key in _KEYWORDS
        if hasattr(args, key) and (getattr(args, key) is not None or key in _NONE_OK)
    }
