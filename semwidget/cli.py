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


def _seed(text: str) -> int:
    """An argparse type: a seed is an integer from 0 to 2**32 - 1 (numpy's range)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"a seed is from 0 to 4294967295, got {text[:40]}")
    return value


#: (flags, argparse keyword arguments) of every PLS option.
_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--scheme",), {"choices": SCHEMES, "default": "path",
                     "help": "PLS inner weighting scheme (default: path)"}),
    (("--consistent",), {"action": "store_true",
                         "help": "consistent PLS (PLSc) for the =~ constructs"}),
    (("--bootstrap",), {"type": int, "default": 0, "metavar": "N",
                        "help": "bootstrap resamples (default: 0, none)"}),
    (("--seed",), {"type": _seed, "default": None, "metavar": "S",
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
    f.add_argument("data", nargs="?", default=None,
                   help="CSV file with one column per observed variable (or --cov)")
    f.add_argument("--engine", choices=["sem", "pls"], default="sem",
                   help="covariance-based SEM (default) or PLS-SEM")
    f.add_argument("--estimator", choices=["ML", "GLS", "ULS", "MLR", "MLM", "MLMV", "WLSMV",
                                           "DWLS", "WLS", "ULSMV"],
                   default=None,
                   type=str.upper,
                   help="CB-SEM estimator (default ML, or WLSMV with --ordered)")
    f.add_argument("--ordered", metavar="COLS", default=None,
                   help="comma-separated ordinal columns (thresholds and polychorics)")
    f.add_argument("--missing", choices=["listwise", "fiml", "ml", "fiml.x", "ml.x", "mean"],
                   default=None,
                   help="missing data: CB-SEM drops incomplete rows (listwise, default) or uses "
                   "full-information ML (fiml or ml: rows with missing fixed covariates "
                   "dropped, as lavaan; fiml.x or ml.x: kept, covariates modelled); PLS "
                   "replaces by the mean (default) or listwise")
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
    # issue 14a: summary statistics, information, mean structure, growth, bootstrap
    f.add_argument("--cov", metavar="FILE",
                   help="CB-SEM from a covariance matrix instead of data: a text file with a "
                   "lower triangle (or full matrix), names as a header or row labels")
    f.add_argument("--mean", metavar="FILE", help="with --cov: the means (name value pairs)")
    f.add_argument("--nobs", metavar="N", type=int,
                   help="with --cov: the number of observations behind the matrix")
    f.add_argument("--information", choices=["expected", "observed"], default=None,
                   help="information matrix of the SEs (default: expected, observed with "
                   "fiml)")
    f.add_argument("--meanstructure", action="store_true",
                   help="add a mean structure (free intercepts) on complete data")
    f.add_argument("--growth", action="store_true",
                   help="lavaan's growth(): observed intercepts 0, latent means free")
    f.add_argument("--se", choices=["standard", "bootstrap"], default="standard",
                   help="standard errors from the information matrix or the bootstrap")
    f.add_argument("--test", choices=["standard", "bootstrap"], default="standard",
                   help="bootstrap: add the Bollen-Stine bootstrap p-value")
    f.add_argument("--bootstrap", metavar="N", type=int, default=None,
                   help="resamples for --se bootstrap / --test bootstrap (default 1000)")
    f.add_argument("--seed", type=_seed, default=None, help="seed of the bootstrap")
    f.add_argument("--json", action="store_true", help="print one JSON object")
    f.add_argument("--svg", metavar="PATH", help="also write the fitted diagram as SVG")
    f.add_argument("--png", metavar="PATH", help="also write the fitted diagram as PNG")
    add_pls_arguments(f)
    return parser


def _open_file(path: str, what: str) -> bytes:
    """The bytes of a regular file, or one sentence saying why it cannot be read."""
    p = Path(path)
    if p.is_dir():
        raise SemWidgetError(f"{what} '{path}' is a directory, not a file")
    if not p.exists():
        raise SemWidgetError(f"{what} '{path}' does not exist")
    if not p.is_file():
        raise SemWidgetError(f"{what} '{path}' is not a regular file")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise SemWidgetError(f"cannot read {what} '{path}': {err.strerror or err}") from None
    if not raw.strip():
        raise SemWidgetError(f"{what} '{path}' is empty")
    return raw


def _text(raw: bytes, what: str, path: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark is not part of the text
    except UnicodeDecodeError as err:
        raise SemWidgetError(
            f"{what} '{path}' is not UTF-8 text (byte {err.start} is 0x{raw[err.start]:02x}); "
            "save it as UTF-8") from None


def _read_model(path: str) -> str:
    if path == "-":
        return sys.stdin.read().lstrip("\ufeff")
    return _text(_open_file(path, "model file"), "model file", path)


def _delimiter(text: str) -> str:
    """The field separator of a CSV text: the one of , ; tab | that splits its header most."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def _read_data(path: str, missing_value: Any = None) -> Any:
    import io

    import pandas as pd

    text = _text(_open_file(path, "data file"), "data file", path)
    if "\x00" in text:
        raise SemWidgetError(f"data file '{path}' is binary, not a CSV text")
    try:
        na = None if missing_value is None else [str(missing_value)]
        return pd.read_csv(io.StringIO(text), sep=_delimiter(text), na_values=na)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise SemWidgetError(f"cannot read '{path}' as CSV: {str(err)[:200]}") from None


def _check_engine_options(args: argparse.Namespace) -> None:
    """Refuse options that the chosen engine would ignore."""
    if args.engine == "pls":
        sem_only = [flag for flag, given in (("--estimator", args.estimator is not None),
                                             ("--std-lv", args.std_lv),
                                             ("--ordered", args.ordered is not None),
                                             ("--orthogonal", args.orthogonal),
                                             ("--cov", args.cov is not None),
                                             ("--information", args.information is not None),
                                             ("--meanstructure", args.meanstructure),
                                             ("--growth", args.growth)) if given]
        if sem_only:
            verb = "applies" if len(sem_only) == 1 else "apply"
            raise SemWidgetError(f"{', '.join(sem_only)} only {verb} to --engine sem")
        if args.missing not in (None, "mean", "listwise"):
            raise SemWidgetError(f"--missing {args.missing} is for --engine sem; PLS takes mean "
                                 "or listwise")
    elif args.missing == "mean":
        raise SemWidgetError("--missing mean is for --engine pls; CB-SEM takes listwise or fiml")


def _data_or_summary(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The data frame, or the summary statistics of --cov/--mean/--nobs."""
    if args.cov is None:
        if args.mean is not None or args.nobs is not None:
            raise SemWidgetError("--mean and --nobs go with --cov FILE")
        if args.data is None:
            raise SemWidgetError("give a CSV data file, or --cov FILE --nobs N")
        return _read_data(args.data), {}
    if args.data is not None:
        raise SemWidgetError("give either a data file or --cov FILE, not both")
    if args.nobs is None:
        raise SemWidgetError("--cov FILE needs --nobs N (the number of observations)")
    cov = _text(_open_file(args.cov, "covariance file"), "covariance file", args.cov)
    mean = None if args.mean is None else \
        _text(_open_file(args.mean, "means file"), "means file", args.mean)
    return None, {"sample_cov": cov, "sample_mean": mean, "sample_nobs": args.nobs}


def run_fit(args: argparse.Namespace) -> int:
    """Fit and print; return the exit status."""
    from semwidget.fitting import fit

    _check_engine_options(args)
    syntax = _read_model(args.model)
    options: dict[str, Any] = {}
    if args.engine == "pls":
        if args.data is None:
            raise SemWidgetError("--engine pls fits a CSV data file")
        options.update(pls_kwargs_from_args(args))
        if args.missing is None:
            options.pop("missing", None)
        data = _read_data(args.data, options.get("missing_value"))
        result = fit(syntax, data, engine="pls", **options)
    else:
        data, summary = _data_or_summary(args)
        ordered = [c.strip() for c in args.ordered.split(",") if c.strip()] \
            if args.ordered else None
        result = fit(syntax, data, estimator=args.estimator,
                     missing=args.missing or "listwise", ordered=ordered,
                     std_lv=args.std_lv, orthogonal=args.orthogonal, group=args.group,
                     group_equal=args.group_equal, group_partial=args.group_partial,
                     information=args.information,
                     meanstructure=True if args.meanstructure else None,
                     kind="growth" if args.growth else "sem", se=args.se, test=args.test,
                     bootstrap=args.bootstrap, seed=args.seed, **summary)
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
