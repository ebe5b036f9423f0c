"""Cold start: ``import semwidget`` against R's ``library(lavaan)``, measured in the same run.

    python benchmarks/bench_import.py [--runs 7] [--before OTHER_CHECKOUT] [--no-pyc]

Each command runs in a fresh process (BLAS on one thread), the runs interleaved so that a busy
machine slows all of them alike; medians of wall time and peak RSS. Our modules' bytecode is
cached (in a temporary directory, written by one untimed run of every command) as in an
installed wheel; ``--no-pyc`` compiles them on every start instead, as a checkout run with
``PYTHONDONTWRITEBYTECODE`` does (the 1.0 s measured for ``import semwidget`` before issue 16
was partly that compiling). Rows:

- ``python -c pass`` / ``Rscript -e NULL``: the interpreters' own start-up;
- ``numpy``, ``numpy+pandas``, ``numpy+pandas+scipy.special``: the libraries a first fit
  cannot do without, the floor of a first fit (the last minus the second is what
  ``scipy.special``'s array-API layer costs);
- ``import semwidget`` against ``library(lavaan)``; target (issue 16) <= 250 ms: the package
  loads only its error types, every public name on first use (PEP 562);
- ``import semwidget; .fit``: what a first fit imports (the floor plus our modules);
- ``import + fit(HS)``: a cold process to the first complete result, against ``library(lavaan);
  cfa(HS)``; ``(before)``: the same for ``--before``, another checkout.

The slowest imports of the first fit (``python -X importtime``) are printed last.

Measured 2026-12-01 with ``--runs 15 --before <main before this change>`` on the shared
machine under a load average near 5.4 (about ten other jobs): every absolute time is several
times a quiet machine's; read the ratios and the differences:

    command                      median ms  peak RSS MB
    python -c pass                      46           11
    numpy                              269           25
    numpy+pandas                      1095           67
    numpy+pandas+scipy.special        1618           82
    import semwidget                    87           11
    import semwidget; .fit            1792           84
    import + fit(HS)                  1734           89
    import semwidget (before)         2035           91
    import + fit(HS) (before)         2336           97
    Rscript -e NULL                    519           50
    library(lavaan)                    916           71
    library + cfa(HS)                 1470           84

``import semwidget`` loads no numpy, pandas or scipy: 87 ms, 0.09 x ``library(lavaan)`` (before:
2.2 x), within ~40 ms of a bare ``python -c pass``; the same in every run (94 ms, 0.07 x, with
``--runs 11`` at load 5.8; 45 ms, 0.10 x, with ``--runs 7`` at load 3.1). A first fit no longer
loads ``scipy.linalg`` (``cb/blocks.py``) nor the ordinal, FIML, group, bootstrap, ESEM and
report modules; its imports are the floor plus ~25 ms of ours at load 3 (1029 against 1004 ms)
and 157-174 ms at load 5-6. The cold first HS fit, 1734 against 2336 ms before here (0.74 x),
is within this machine's noise of the old one (2336 / 2449 at load 5.8; at load 3.1 the old
one came out faster, 1020 against 1390 ms): 1.18-1.55 x lavaan's. What is left is third-party:
pandas, and ``scipy.special`` (523 ms here, a third of the floor: its array-API layer pulls in
``numpy.f2py`` and ``numpy.testing``), which ``cb/measures.py`` and ``cb/robust.py`` use for the
RMSEA interval (``chndtr``, ``chndtrinc``) and ``semwidget.distributions`` for every p-value.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from coldrun import ENV, has_lavaan, medians, run_once

ROOT = Path(__file__).resolve().parent.parent
HS_CSV = ROOT / "semwidget" / "datasets" / "hs1939.csv"
HS = "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

PY_FIT = (f"import pandas as pd, semwidget; semwidget.fit({HS!r}, pd.read_csv({str(HS_CSV)!r}))"
          ".fit_measures['cfi']")
R_FIT = (f"suppressPackageStartupMessages(library(lavaan)); "
         f"hs <- read.csv('{HS_CSV}'); invisible(fitMeasures(cfa('{HS}', data = hs), 'cfi'))")
#: What a first fit imports: semwidget.fit loads the CB engine, the data and its checks.
FIRST_FIT_IMPORTS = "import semwidget; semwidget.fit"


def bytecode_env(cache: str | None) -> dict[str, str]:
    """The benchmark's environment; with ``cache``, our modules' bytecode is kept there.

    An installed wheel has its ``.pyc`` files (pip compiles them); a checkout run with
    ``PYTHONDONTWRITEBYTECODE`` compiles every module of ours on every start, which is not
    what a user's import costs. ``PYTHONPYCACHEPREFIX`` keeps the bytecode out of the tree.
    """
    env = {**ENV, "PYTHONPATH": str(ROOT)}
    if cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    return env


def slowest_imports(env: dict[str, str], code: str = FIRST_FIT_IMPORTS,
                    top: int = 10) -> list[tuple[float, str]]:
    """The modules with the largest own import time under ``python -X importtime``."""
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                         capture_output=True, text=True, env=env, check=True).stderr
    rows = []
    for line in err.splitlines():
        parts = line.split("|")  # "import time: self | cumulative | name", in microseconds
        own = parts[0].removeprefix("import time:").strip()
        if len(parts) == 3 and own.isdigit():
            rows.append((int(own) / 1000.0, parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def loaded_libraries(env: dict[str, str], code: str) -> str:
    """Which of numpy, pandas and scipy's parts ``code`` leaves in ``sys.modules``."""
    probe = (f"{code}\nimport sys\nprint(' '.join(m for m in ('numpy', 'pandas', 'scipy', "
             "'scipy.special', 'scipy.linalg', 'scipy.optimize', 'scipy.stats') "
             "if m in sys.modules) or '-')")
    return run_once([sys.executable, "-c", probe], env)["stdout"].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout of semwidget, timed as 'import semwidget (before)'")
    parser.add_argument("--no-pyc", action="store_true",
                        help="compile our modules on every start (PYTHONDONTWRITEBYTECODE)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="semwidget-pyc-") as cache:
        env = bytecode_env(None if args.no_pyc else cache)
        run(args, env)


def run(args: argparse.Namespace, env: dict[str, str]) -> None:
    py = sys.executable
    cmds = {
        "python -c pass": [py, "-c", "pass"],
        "numpy": [py, "-c", "import numpy"],
        "numpy+pandas": [py, "-c", "import numpy, pandas"],
        "numpy+pandas+scipy.special": [py, "-c", "import numpy, pandas, scipy.special"],
        "import semwidget": [py, "-c", "import semwidget"],
        "import semwidget; .fit": [py, "-c", FIRST_FIT_IMPORTS],
        "import + fit(HS)": [py, "-c", PY_FIT],
    }
    if args.before is not None:
        before = f"import sys; sys.path.insert(0, {str(args.before.resolve())!r}); import semwidget"
        cmds["import semwidget (before)"] = [py, "-c", before]
        cmds["import + fit(HS) (before)"] = [py, "-c", before + "; " + PY_FIT]
    lavaan = has_lavaan()
    if lavaan:
        cmds |= {"Rscript -e NULL": ["Rscript", "-e", "NULL"],
                 "library(lavaan)": ["Rscript", "-e",
                                     "suppressPackageStartupMessages(library(lavaan))"],
                 "library + cfa(HS)": ["Rscript", "-e", R_FIT]}
    else:
        print("Rscript with lavaan not found: the lavaan rows are skipped")
    for cmd in cmds.values():  # writes the bytecode cache (the installed wheel's .pyc files)
        run_once(cmd, env)
    res = medians(cmds, args.runs, env)
    pyc = "compiled on every start" if env.get("PYTHONDONTWRITEBYTECODE") else "cached .pyc"
    print(f"our modules: {pyc}; {args.runs} runs, medians; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"{'command':<28}{'median ms':>10}{'peak RSS MB':>13}")
    for name, r in res.items():
        print(f"{name:<28}{r['seconds'] * 1000:>10.0f}{r['rss_mb']:>13.0f}")
    ours = res["import semwidget"]["seconds"]
    print(f"import semwidget: {ours * 1000:.0f} ms; target <= 250 ms: "
          f"{'met' if ours <= 0.25 else 'MISSED on this machine'}")
    floor = res["numpy+pandas+scipy.special"]["seconds"]
    first = res["import semwidget; .fit"]["seconds"]
    print(f"first-fit imports: {first * 1000:.0f} ms = floor numpy+pandas+scipy.special "
          f"{floor * 1000:.0f} ms + {(first - floor) * 1000:.0f} ms")
    special = floor - res["numpy+pandas"]["seconds"]
    print(f"of the floor, scipy.special (its array-API layer) {special * 1000:.0f} ms")
    if lavaan:
        lib = res["library(lavaan)"]["seconds"]
        ratio = res["import + fit(HS)"]["seconds"] / res["library + cfa(HS)"]["seconds"]
        print(f"ratio import semwidget / library(lavaan): {ours / lib:.2f}")
        print(f"ratio cold first HS fit semwidget / lavaan: {ratio:.2f}")
    for code in ("import semwidget", FIRST_FIT_IMPORTS):
        print(f"libraries loaded by {code!r}: {loaded_libraries(env, code)}")
    print(f"slowest imports of {FIRST_FIT_IMPORTS!r} (own ms):")
    for ms, name in slowest_imports(env):
        print(f"  {ms:8.1f}  {name}")


if __name__ == "__main__":
    main()
