"""Data sets shipped with semwidget, for examples, teaching and tests.

>>> from semwidget import datasets
>>> datasets.list()                      # names, sizes and one-line descriptions
>>> hs = datasets.load("hs1939")         # a DataFrame; hs.attrs["description"] says what it is

The files live in ``semwidget/datasets/`` (see its README for sources and licences). The two
live-streaming data sets are simulated from published estimates by ``scripts/make_seed_data.py``;
:func:`published` returns the numbers those papers report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from semwidget.errors import SemWidgetError

__all__ = ["DatasetError", "list", "load", "published"]


class DatasetError(SemWidgetError):
    """An unknown data set name."""


@dataclass(frozen=True)
class _Dataset:
    file: str
    title: str
    source: str
    licence: str
    variables: dict[str, str]
    aliases: tuple[str, ...] = ()
    notes: str = ""

    def description(self, name: str, frame: pd.DataFrame) -> str:
        lines = [f"{name}: {self.title}", f"{len(frame)} rows, {frame.shape[1]} columns.", "",
                 f"Source: {self.source}", f"Licence: {self.licence}"]
        if self.notes:
            lines += ["", self.notes]
        lines += ["", "Variables:"]
        lines += [f"  {col}: {text}" for col, text in self.variables.items()]
        return "\n".join(lines)


def _items(prefix: str, count: int, construct: str, scale: str, width: int = 1) -> dict[str, str]:
    return {f"{prefix}{k:0{width}d}": f"{construct}, item {k} ({scale})"
            for k in range(1, count + 1)}


_LIKERT5 = "1 = strongly disagree ... 5 = strongly agree"

_CATALOG: dict[str, _Dataset] = {
    "holzinger_swineford_1939": _Dataset(
        file="hs1939.csv",
        aliases=("hs1939", "HolzingerSwineford1939"),
        title="mental ability test scores of 301 seventh- and eighth-grade children "
              "(Holzinger & Swineford, 1939), the classic 3-factor CFA example",
        source="Holzinger, K. J. & Swineford, F. (1939). A study in factor analysis: the "
               "stability of a bi-factor solution. Supplementary Educational Monographs, 48. "
               "University of Chicago. The 9-test subset as distributed with the R package "
               "lavaan (HolzingerSwineford1939, columns x1-x9).",
        licence="factual test scores published in 1939; redistributed in lavaan (GPL) and many "
                "other packages; no known copyright restrictions on the data.",
        variables={
            "x1": "visual perception", "x2": "cubes", "x3": "lozenges",
            "x4": "paragraph comprehension", "x5": "sentence completion",
            "x6": "word meaning", "x7": "speeded addition",
            "x8": "speeded counting of dots",
            "x9": "speeded discrimination of straight and curved capitals",
        },
        notes="Usual model: visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; "
              "speed =~ x7 + x8 + x9.",
    ),
    "holzinger_swineford_1939_school": _Dataset(
        file="hs1939_school.csv",
        aliases=("hs1939_school",),
        title="the Holzinger & Swineford (1939) test scores with each child's school, sex and "
              "age, for comparing groups (measurement invariance across the two schools)",
        source="Holzinger, K. J. & Swineford, F. (1939), as distributed with the R package "
               "lavaan (HolzingerSwineford1939: columns id, sex, ageyr, agemo, school, x1-x9).",
        licence="factual test scores published in 1939; redistributed in lavaan (GPL) and many "
                "other packages; no known copyright restrictions on the data.",
        variables={
            "id": "child identifier", "sex": "1 = male, 2 = female", "ageyr": "age, years",
            "agemo": "age, months beyond the years", "school": "Pasteur or Grant-White",
            "x1": "visual perception", "x2": "cubes", "x3": "lozenges",
            "x4": "paragraph comprehension", "x5": "sentence completion",
            "x6": "word meaning", "x7": "speeded addition",
            "x8": "speeded counting of dots",
            "x9": "speeded discrimination of straight and curved capitals",
        },
        notes="Usual multigroup call: fit(model, data, group='school', "
              "group_equal=['loadings', 'intercepts']).",
    ),
    "political_democracy": _Dataset(
        file="poldem.csv",
        aliases=("poldem", "PoliticalDemocracy"),
        title="industrialization and political democracy in 75 developing countries, "
              "1960 and 1965 (Bollen, 1989)",
        source="Bollen, K. A. (1989). Structural Equations with Latent Variables. Wiley, p. 332. "
               "As distributed with the R package lavaan (PoliticalDemocracy).",
        licence="published country-level indicators; redistributed in lavaan (GPL) and many "
                "other packages; no known copyright restrictions on the data.",
        variables={
            "y1": "expert ratings of the freedom of the press, 1960",
            "y2": "freedom of political opposition, 1960",
            "y3": "fairness of elections, 1960",
            "y4": "effectiveness of the elected legislature, 1960",
            "y5": "freedom of the press, 1965",
            "y6": "freedom of political opposition, 1965",
            "y7": "fairness of elections, 1965",
            "y8": "effectiveness of the elected legislature, 1965",
            "x1": "gross national product per capita, 1960",
            "x2": "inanimate energy consumption per capita, 1960",
            "x3": "percentage of the labour force in industry, 1960",
        },
        notes="Usual model: ind60 =~ x1 + x2 + x3; dem60 =~ y1 + y2 + y3 + y4; "
              "dem65 =~ y5 + y6 + y7 + y8; dem60 ~ ind60; dem65 ~ ind60 + dem60; with "
              "residual covariances of the same indicator across years.",
    ),
    "live_streaming_cbsem": _Dataset(
        file="live_streaming_cbsem.csv",
        aliases=("seed1", "live_streaming_amos"),
        title="SIMULATED survey of 663 live-streaming shoppers: self-efficacy, perceived "
              "value and customer engagement (30 five-point items, 6 constructs)",
        source="Simulated by scripts/make_seed_data.py from the standardized loadings (Table 2) "
               "and paths (Table 4) published in Cao, J., Li, J., Wang, Y. & Ai, M. (2022). The "
               "impact of self-efficacy and perceived value on customer engagement under live "
               "streaming commerce environment. Security and Communication Networks, 2022, "
               "2904447 (CC BY 4.0; retracted by the publisher in 2023). Not the authors' data.",
        licence="simulated data, MIT like semwidget; cite the paper for the model and values.",
        variables={
            **_items("PU", 6, "perceived usefulness", _LIKERT5),
            **_items("PE", 3, "perceived entertainment", _LIKERT5),
            **_items("SE", 4, "general self-efficacy", _LIKERT5),
            **_items("LSE", 5, "live streaming commerce self-efficacy", _LIKERT5),
            **_items("PV", 4, "perceived value", _LIKERT5),
            **_items("CE", 8, "customer engagement", _LIKERT5),
        },
        notes="Population model: SE -> PU, PE, LSE; PU, PE, LSE -> PV (SE -> PV = 0, the "
              "paper's unsupported H3); LSE, PV -> CE. published('live_streaming_cbsem') "
              "holds the paper's tables and the model syntax.",
    ),
    "live_streaming_pls": _Dataset(
        file="live_streaming_pls.csv",
        aliases=("seed2", "live_streaming_smartpls"),
        title="SIMULATED survey of 225 live-streaming viewers: interactivity, informativeness, "
              "personalization, engagement and value co-creation (22 five-point items)",
        source="Simulated by scripts/make_seed_data.py from the loadings (Table 2) and "
               "construct correlations (Table 4) of a SmartPLS study of live-streaming "
               "commerce engagement and value co-creation in Indonesia (n = 225); its paths "
               "(Table 6) follow from those correlations. Not the authors' data.",
        licence="simulated data, MIT like semwidget; cite the paper for the model and values.",
        variables={
            **_items("INT", 4, "interactivity", _LIKERT5, 2),
            **_items("INF", 4, "informativeness", _LIKERT5, 2),
            **_items("PSN", 5, "personalization", _LIKERT5, 2),
            **_items("CLE", 4, "customer live-streaming engagement", _LIKERT5, 2),
            **_items("VCC", 5, "value co-creation", _LIKERT5, 2),
        },
        notes="Model: INT, INF, PSN -> CLE -> VCC. published('live_streaming_pls') holds the "
              "paper's tables and the model syntax.",
    ),
}

_ALIASES: dict[str, str] = {}
for _name, _ds in _CATALOG.items():
    for _key in (_name, *_ds.aliases):
        _ALIASES[_key.lower()] = _name


def _resolve(name: str) -> str:
    if not isinstance(name, str):
        raise DatasetError(f"a data set name must be a string, not {type(name).__name__}")
    key = _ALIASES.get(name.strip().lower())
    if key is None:
        raise DatasetError(
            f"unknown data set {name!r}; available: {', '.join(_CATALOG)} "
            f"(aliases: {', '.join(a for d in _CATALOG.values() for a in d.aliases)})")
    return key


def _data_file(file: str) -> Any:
    return resources.files("semwidget.datasets").joinpath(file)


@cache
def _read(name: str) -> pd.DataFrame:
    with _data_file(_CATALOG[name].file).open("rb") as fh:
        return pd.read_csv(fh)


def list() -> pd.DataFrame:
    """The bundled data sets.

    Returns
    -------
    DataFrame
        Indexed by name, with columns ``aliases``, ``rows``, ``columns`` and ``description``
        (one line).
    """
    records = []
    for name, ds in _CATALOG.items():
        frame = _read(name)
        records.append({"name": name, "aliases": ", ".join(ds.aliases), "rows": len(frame),
                        "columns": frame.shape[1], "description": ds.title})
    return pd.DataFrame.from_records(records).set_index("name")


def load(name: str) -> pd.DataFrame:
    """Load a bundled data set.

    Parameters
    ----------
    name : str
        A name from :func:`list` or one of its aliases (case-insensitive), e.g.
        ``"holzinger_swineford_1939"`` or ``"hs1939"``.

    Returns
    -------
    DataFrame
        A fresh copy. ``attrs["description"]`` holds the source, licence and variables as
        text; ``attrs["name"]``, ``attrs["source"]``, ``attrs["licence"]`` and
        ``attrs["variables"]`` hold them separately.

    Raises
    ------
    DatasetError
        For an unknown name (the message lists the available ones).
    """
    key = _resolve(name)
    ds = _CATALOG[key]
    frame = _read(key).copy()
    frame.attrs = {
        "name": key,
        "description": ds.description(key, frame),
        "source": ds.source,
        "licence": ds.licence,
        "variables": dict(ds.variables),
    }
    return frame


def published(name: str) -> dict[str, Any]:
    """The numbers a seed study published, to compare with a reproduction.

    Parameters
    ----------
    name : str
        ``"live_streaming_cbsem"`` or ``"live_streaming_pls"`` (or an alias).

    Returns
    -------
    dict
        The paper's tables as numbers (``table2_items``, ``table4_paths``, ...), its sample
        size, Likert scale, the analysis ``model`` and the ``population`` syntax the data were
        simulated from (see ``scripts/make_seed_data.py``).
    """
    key = _resolve(name)
    with _data_file("seed_published.json").open("r", encoding="utf-8") as fh:
        tables = json.load(fh)
    if key not in tables:
        raise DatasetError(
            f"{key!r} is not a seed study; published values exist for "
            f"{', '.join(sorted(tables))}")
    return tables[key]
