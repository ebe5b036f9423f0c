"""Command line: ``semwidget fit MODEL DATA [options]`` (also ``python -m semwidget``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from semwidget.errors import SemWidgetError
from semwidget.pls.estimate import SCHEMES

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="semwidget",
        description="Fit structural equation models written in lavaan syntax.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fit", help="fit a model to a CSV file and print the results")
    f.add_argument("model", help="file with lavaan model syntax, or - for standard input")
    f.add_argument("data", help="CSV file with one column per observed variable")
    f.add_argument("--engine", choices=["sem", "pls"], default="sem",
                   help="covariance-based SEM (default) or PLS-SEM")
    f.add_argument("--estimator", choices=["ML", "GLS", "ULS"], default="ML",
                   type=str.upper, help="CB-SEM estimator (default ML)")
    f.add_argument("--missing", choices=["listwise", "fiml"], default="listwise",
                   help="missing data: drop incomplete rows, or full-information ML")
    f.add_argument("--std-lv", action="store_true",
                   help="fix latent variances to 1 and free all loadings")
    f.add_argument("--orthogonal", action="store_true",
                   help="fix covariances among latent variables to 0")
    f.add_argument("--group", metavar="COLUMN",
                   help="CB-SEM: fit the model in every group of this column")
    f.add_argument("--group-equal", metavar="WORDS", default="",
                   help="with --group: lavaan's group.equal words, e.g. loadings,intercepts")
    f.add_argument("--group-partial", metavar="PARAMS", default="",
                   help='with --group: parameters left free, e.g. "visual=~x2,x3~1"')
    f.add_argument("--json", action="store_true", help="print one JSON object")
    f.add_argument("--svg", metavar="PATH", help="also write the fitted diagram as SVG")
    f.add_argument("--png", metavar="PATH", help="also write the fitted diagram as PNG")
    add_pls_arguments(f)
    return parser


def _read_model(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.is_file():
        raise SemWidgetError(f"model file '{path}' does not exist")
    return p.read_text(encoding="utf-8")


def _read_data(path: str, missing_value: Any = None) -> Any:
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise SemWidgetError(f"data file '{path}' does not exist")
    try:
        na = None if missing_value is None else [str(missing_value)]
        return pd.read_csv(p, na_values=na)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise SemWidgetError(f"cannot read '{path}' as CSV: {err}") from err


def run_fit(args: argparse.Namespace) -> int:
    """Fit and print; return the exit status."""
    from semwidget.fitting import fit

    syntax = _read_model(args.model)
    options: dict[str, Any] = {}
    if args.engine == "pls":
        options.update(pls_kwargs_from_args(args))
        data = _read_data(args.data, options.get("missing_value"))
        result = fit(syntax, data, engine="pls", **options)
    else:
        data = _read_data(args.data)
        result = fit(syntax, data, estimator=args.estimator, missing=args.missing,
                     std_lv=args.std_lv, orthogonal=args.orthogonal, group=args.group,
                     group_equal=args.group_equal, group_partial=args.group_partial)
    if args.svg or args.png:
        from semwidget.widget.export import fitted_svg
        from semwidget.widget.render import svg_to_png

        svg = fitted_svg(syntax, result)
        if args.svg:
            Path(args.svg).write_text(svg, encoding="utf-8")
        if args.png:
            Path(args.png).write_bytes(svg_to_png(svg))
    if args.json:
        print(json.dumps(result.to_dict(), allow_nan=False))
    else:
        print(result.summary())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``semwidget`` console script.

    Errors caused by the model, the data or the options are printed to standard error as one
    sentence, with exit status 2 and no traceback.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "fit":
            return run_fit(args)
    except (SemWidgetError, OSError) as err:
        print(f"semwidget: error: {err}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
