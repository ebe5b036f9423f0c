"""Multiple groups in the parameter table: ``c(...)`` modifiers and lavaan's ``group.equal``.

With ``G`` groups lavaan repeats the model once per group (the ``group`` column, 1-based):
a modifier written as ``c(v1, ..., vG)`` gives each group its own fixed value (``NA`` frees it)
or its own label; a plain label is the same in every group, so it holds the parameter equal
across groups. ``group.equal`` words make every free parameter of a kind equal to its
group-1 counterpart unless it carries a user label or is listed in ``group.partial``; a
parameter fixed in group 1 is fixed at the same value in the other groups.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from semwidget.errors import ModelSpecError, ModelSyntaxError
from semwidget.model.parser import parse

if TYPE_CHECKING:
    from semwidget.model.partable import VariableRoles

#: lavaan's ``group.equal`` words this package fits (``thresholds`` needs ordinal data).
GROUP_EQUAL = ("loadings", "intercepts", "means", "residuals", "residual.covariances",
               "lv.variances", "lv.covariances", "regressions")

Key = tuple[str, str, str]


def statement(row: dict) -> str:
    """A row written as lavaan syntax, for messages (``visual =~ x2``, ``x1 ~ 1``)."""
    if row["op"] == "~1":
        return f"{row['lhs']} ~ 1"
    return f"{row['lhs']} {row['op']} {row['rhs']}"


def _key(lhs: str, op: str, rhs: str) -> Key:
    if op == "~~" and rhs < lhs:
        return (rhs, op, lhs)
    return (lhs, op, rhs)


def resolve(row: dict, g: int, ngroups: int) -> dict:
    """The user row as it applies to group ``g`` (0-based): its ``c(...)`` entry ``g`` taken.

    Raises
    ------
    ModelSpecError
        If a ``c(...)`` has a number of entries other than ``ngroups``, naming the statement.
    """
    text = row.get("by_group") or ""
    out = {k: v for k, v in row.items() if k != "by_group"}
    if not isinstance(text, str) or not text:
        return out
    for part in text.split("*"):
        values = part[2:-1].split(",")
        if len(values) != ngroups:
            where = "the model has one group" if ngroups == 1 else \
                f"the data have {ngroups} groups"
            raise ModelSpecError(
                f"'{statement(row)}': {part} has {len(values)} entries but {where}; give one "
                "entry per group", name=str(row["lhs"]))
        value = values[g]
        numeric = all(v == "NA" or _is_number(v) for v in values)
        if numeric:
            if value == "NA":  # free in this group
                out["freed"] = 1
                out["free"] = max(int(out.get("free", 0)), 1)
            else:
                out["free"] = 0
                out["ustart"] = float(value)
                out["freed"] = 0
        else:
            out["label"] = "" if value == "NA" else value
    return out


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def parse_partial(entries: Iterable[str]) -> set[Key]:
    """``group.partial`` entries (``"visual =~ x2"``, ``"x1 ~ 1"``) as row keys.

    Raises
    ------
    ModelSpecError
        If an entry is not one parameter written in lavaan syntax.
    """
    keys: set[Key] = set()
    for text in entries:
        try:
            table = parse(str(text))
        except ModelSyntaxError as err:
            raise ModelSpecError(
                f"group_partial entry {text!r} is not a parameter such as 'visual =~ x2' or "
                f"'x1 ~ 1': {err}", name=str(text)) from err
        if len(table) != 1 or table["op"].iloc[0] in (":=", "==", "<", ">"):
            raise ModelSpecError(
                f"group_partial entry {text!r} must name one parameter, e.g. 'visual =~ x2'",
                name=str(text))
        keys.add(_key(str(table["lhs"].iloc[0]), str(table["op"].iloc[0]),
                      str(table["rhs"].iloc[0])))
    return keys


def check_words(words: Sequence[str]) -> list[str]:
    """The ``group.equal`` words, checked against lavaan's list."""
    out = []
    for w in words:
        if w == "thresholds":
            raise ModelSpecError("group_equal='thresholds' needs ordinal indicators, which "
                                 "semwidget does not fit", name=w)
        if w not in GROUP_EQUAL:
            raise ModelSpecError(f"unknown group_equal word {w!r}: use one of "
                                 f"{', '.join(GROUP_EQUAL)}", name=str(w))
        out.append(w)
    return out


def kind_of(row: dict, lv: set[str]) -> str | None:
    """The ``group.equal`` word that covers a model row, if any."""
    op, a, b = row["op"], row["lhs"], row["rhs"]
    if op == "=~":
        return "loadings"
    if op == "~":
        return "regressions"
    if op == "~1":
        return "means" if a in lv else "intercepts"
    if op == "~~":
        both_lv = a in lv and b in lv
        if a == b:
            return "lv.variances" if a in lv else "residuals"
        if both_lv:
            return "lv.covariances"
        if a not in lv and b not in lv:
            return "residual.covariances"
    return None


def apply_group_equal(rows: list[dict], r: VariableRoles, words: Sequence[str],
                      partial: set[Key], std_lv: bool = False) -> None:
    """Free latent means where lavaan does, then label rows held equal (in place).

    ``rows`` are the full rows of all groups in order, each with ``group`` (1-based) and
    ``id`` implied by position. Rows made equal get lavaan's label ``.pN.`` with ``N`` the id
    of the group-1 row, so they share one free parameter.
    """
    lv = set(r.lv)
    words = list(words)
    # With intercepts equal the latent means are identified from the second group on.
    if "intercepts" in words and "means" not in words:
        for row in rows:
            if row["group"] > 1 and row["op"] == "~1" and row["lhs"] in lv and row["user"] == 0:
                row["free"], row["ustart"] = 1, math.nan
    # With std.lv and loadings equal the latent variances are identified from group 2 on.
    if std_lv and "loadings" in words and "lv.variances" not in words:
        for row in rows:
            if row["group"] > 1 and row["op"] == "~~" and row["lhs"] == row["rhs"] \
                    and row["lhs"] in lv and row["user"] == 0:
                row["free"], row["ustart"] = 1, math.nan
    if not words:
        return
    wanted = set(words)
    sets: dict[Key, list[tuple[int, dict]]] = {}
    for n, row in enumerate(rows, start=1):
        if row["label"] or row["exo"] == 1:
            continue  # user labels decide equality themselves, as in lavaan
        key = _key(row["lhs"], row["op"], row["rhs"])
        if kind_of(row, lv) in wanted and key not in partial:
            sets.setdefault(key, []).append((n, row))
    for members in sets.values():
        fixed = [row for _, row in members if row["free"] == 0]
        if fixed:
            # lavaan fixes the whole set at the value of the first group that fixes it
            for _, row in members:
                row["free"], row["ustart"], row["freed"] = 0, fixed[0]["ustart"], 0
            continue
        label = f".p{members[0][0]}."
        for _, row in members:
            row["label"] = label
