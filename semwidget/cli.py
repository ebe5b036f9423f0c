"""Command line: ``semwidget fit MODEL DATA [options]`` and ``semwidget lab [FOLDER]``.

Also ``python -m semwidget``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
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
    # issue 14 part B: sampling weights and exploratory SEM blocks
    f.add_argument("--sampling-weights", metavar="COLUMN", default=None,
                   help="CB-SEM: column of sampling weights (lavaan's sampling.weights): "
                   "weighted moments, robust Huber-White SEs and the Yuan-Bentler test")
    f.add_argument("--rotation", default=None, type=str.lower,
                   choices=["geomin", "oblimin", "quartimin", "varimax", "quartimax",
                            "orthomax"],
                   help='CB-SEM: rotation of efa("block")*f1 + efa("block")*f2 =~ ... blocks '
                   "(default geomin, oblique; varimax and quartimax are orthogonal)")
    f.add_argument("--rotation-orthogonal", action="store_true",
                   help="with efa blocks: an orthogonal rotation of geomin/oblimin "
                   "(lavaan's rotation.args = list(orthogonal = TRUE))")
    f.add_argument("--json", action="store_true", help="print one JSON object")
    f.add_argument("--svg", metavar="PATH", help="also write the fitted diagram as SVG")
    f.add_argument("--png", metavar="PATH", help="also write the fitted diagram as PNG")
    add_pls_arguments(f)
    add_lab_parser(sub)
    return parser


# ---------------------------------------------------------------------------- semwidget lab

#: The notebook JupyterLab opens first.
QUICKSTART = "01_quickstart.ipynb"
#: The files of the examples folder that ``lab`` copies (the notebooks and what they read).
_EXAMPLE_SUFFIXES = (".ipynb", ".lav")


def add_lab_parser(sub: Any) -> None:
    """Add the ``lab`` sub-command: copy the examples to a folder and start JupyterLab there."""
    lab = sub.add_parser(
        "lab", help="copy the example notebooks to FOLDER and open the quickstart in JupyterLab",
        description="Copy the example notebooks to FOLDER (files already there are kept) and "
        "start JupyterLab there on the quickstart notebook. Options after FOLDER, such as "
        "--no-browser or --port 8890, are passed to JupyterLab; before FOLDER, write an "
        "option's value with = (--port=8890).")
    lab.add_argument("folder", nargs="?", default="semwidget-examples",
                     help="where to put the notebooks (default: ./semwidget-examples)")
    lab.add_argument("--copy-only", action="store_true",
                     help="copy the notebooks and do not start JupyterLab")


def examples_dir() -> Path:
    """The example notebooks: inside an installed wheel, else the repository's ``examples/``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples", here.parent / "examples"):
        if (candidate / QUICKSTART).is_file():
            return candidate
    raise SemWidgetError(f"the example notebooks are not installed (no {QUICKSTART} beside "
                         f"the package in {here}); reinstall semwidget")


def copy_examples(folder: Path) -> tuple[list[str], list[str]]:
    """Copy the examples into ``folder``; return (copied, kept) file names.

    A file already in ``folder`` is kept as it is: the user may have edited it.
    """
    if folder.exists() and not folder.is_dir():
        raise SemWidgetError(f"'{folder}' exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SemWidgetError(f"cannot create the folder '{folder}': "
                             f"{err.strerror or err}") from None
    copied: list[str] = []
    kept: list[str] = []
    for source in sorted(examples_dir().iterdir()):
        if not source.is_file() or source.suffix not in _EXAMPLE_SUFFIXES:
            continue
        target = folder / source.name
        if target.exists():
            kept.append(source.name)
            continue
        shutil.copyfile(source, target)
        copied.append(source.name)
    return copied, kept


#: ``lab``'s own options; any other option goes to JupyterLab.
_LAB_OPTIONS = ("--copy-only", "-h", "--help")


def check_lab_order(tokens: Sequence[str]) -> None:
    """Refuse ``lab`` arguments whose FOLDER cannot be told from an option's value.

    JupyterLab's options are passed on unparsed, so whether ``--port`` takes a value is not
    known here: in ``lab --port 8890 course`` the ``8890`` would be taken for the folder.
    A word that follows an unknown option before the folder is therefore refused, with the
    two spellings that are never ambiguous.
    """
    pending: str | None = None
    for token in tokens:
        if token == "--":
            return
        if token.startswith("-"):
            pending = None if token in _LAB_OPTIONS or "=" in token else token
            continue
        if pending is not None:
            raise SemWidgetError(
                f"cannot tell whether '{token}' is the folder or the value of {pending}: put "
                f"the folder first (semwidget lab FOLDER {pending} {token}) or write "
                f"{pending}={token}")
        return  # the folder: what follows it is JupyterLab's


def lab_command(folder: Path, extra: Sequence[str]) -> list[str]:
    """The JupyterLab command line: this interpreter's ``jupyterlab``, so its kernel sees
    this semwidget, opening the quickstart with ``folder`` as the root."""
    return [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}", *extra,
            str(folder / QUICKSTART)]


def run_lab(args: argparse.Namespace, extra: Sequence[str]) -> int:
    """Copy the examples, then run JupyterLab until it exits; return its exit status."""
    folder = Path(args.folder).expanduser().resolve()
    copied, kept = copy_examples(folder)
    print(f"semwidget: {len(copied)} notebook file(s) copied to {folder}"
          + (f"; kept {len(kept)} already there" if kept else ""))
    if args.copy_only:
        return 0
    import importlib.util

    if importlib.util.find_spec("jupyterlab") is None:
        raise SemWidgetError("JupyterLab is not installed for this Python: "
                             'pip install "semwidget[lab]" (or pip install jupyterlab)')
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # JupyterLab refuses to start as root (containers, CI) unless told; the user asked
        # for it by running this command, so say so rather than fail.
        print("semwidget: running as root, so passing --allow-root to JupyterLab")
        extra = [*extra, "--allow-root"]
    command = lab_command(folder, extra)
    print("semwidget: starting " + " ".join(command[2:]), flush=True)
    os.chdir(folder)
    if os.name == "posix":
        # Become JupyterLab: Ctrl+C, SIGTERM and the exit status are its own, and no
        # wrapper process is left behind if either is killed.
        os.execv(sys.executable, command)
    return subprocess.call(command)  # Windows has no exec that keeps the console


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
                                             ("--growth", args.growth),
                                             ("--sampling-weights",
                                              args.sampling_weights is not None),
                                             ("--rotation", args.rotation is not None),
                                             ("--rotation-orthogonal",
                                              args.rotation_orthogonal)) if given]
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
                     bootstrap=args.bootstrap, seed=args.seed, **summary,
                     sampling_weights=args.sampling_weights,
                     rotation=args.rotation or "geomin",
                     rotation_args={"orthogonal": True} if args.rotation_orthogonal else None)
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
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "fit":
            return run_fit(args)
        if args.command == "lab":
            tokens = list(sys.argv[1:] if argv is None else argv)
            check_lab_order(tokens[tokens.index("lab") + 1:])
            return run_lab(args, extra)
    except (SemWidgetError, OSError) as err:
        print(f"semwidget: error: {err}", file=sys.stderr)
        return 2
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
