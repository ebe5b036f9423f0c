"""Readable summaries of a CB-SEM fit (plain text like lavaan's ``summary``, and HTML)."""

from __future__ import annotations

import html
import math
from collections import namedtuple
from typing import TYPE_CHECKING

from semwidget.model.frame_arrays import column_arrays

if TYPE_CHECKING:
    import pandas as pd

    from semwidget.cb.result import CBResult

SECTIONS = [
    ("=~", "Latent Variables"),
    ("~", "Regressions"),
    ("~~cov", "Covariances"),
    ("~1", "Intercepts"),
    ("|", "Thresholds"),
    ("~~var", "Variances"),
    ("~*~", "Scales y*"),
    (":=", "Defined Parameters"),
]


_Row = namedtuple("_Row", "lhs op rhs label est se z pvalue std_lv std_all")


def _section(op: str, lhs: str, rhs: str) -> str:
    if op == "~~":
        return "~~var" if lhs == rhs else "~~cov"
    return op


def _num(v: float, width: int = 9, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and v != v):  # v != v: NaN, without a call
        return " " * width
    return f"{v:{width}.{digits}f}"


TEST_NAMES = {
    "satorra.bentler": "Satorra-Bentler",
    "yuan.bentler.mplus": "Yuan-Bentler (Mplus variant)",
    "yuan.bentler": "Yuan-Bentler",
    "scaled.shifted": "scaled and shifted",
    "mean.var.adjusted": "mean and variance adjusted (Satterthwaite)",
}


def _fit_lines(result: CBResult) -> list[tuple[str, float, int, float | None]]:
    """(label, standard value, digits, scaled value or None), as lavaan's fit section."""
    f = result.fit_measures
    rows = [
        ("Test statistic (chi-square)", "chisq", 3, "chisq_scaled"),
        ("Degrees of freedom", "df", 0, "df_scaled"),
        ("P-value (chi-square)", "pvalue", 3, "pvalue_scaled"),
        ("Scaling correction factor", None, 3, "chisq_scaling_factor"),
        ("Comparative Fit Index (CFI)", "cfi", 3, "cfi_scaled"),
        ("Tucker-Lewis Index (TLI)", "tli", 3, "tli_scaled"),
        ("Robust CFI", None, 3, "cfi_robust"),
        ("Robust TLI", None, 3, "tli_robust"),
        ("RMSEA", "rmsea", 3, "rmsea_scaled"),
        ("  90 percent CI - lower", "rmsea_ci_lower", 3, "rmsea_ci_lower_scaled"),
        ("  90 percent CI - upper", "rmsea_ci_upper", 3, "rmsea_ci_upper_scaled"),
        ("Robust RMSEA", None, 3, "rmsea_robust"),
        ("  90 percent CI - lower", None, 3, "rmsea_ci_lower_robust"),
        ("  90 percent CI - upper", None, 3, "rmsea_ci_upper_robust"),
        ("SRMR", "srmr", 3, None),
        ("GFI / AGFI", "gfi", 3, None),
        ("Loglikelihood", "logl", 3, None),
        ("AIC", "aic", 3, None),
        ("BIC", "bic", 3, None),
    ]
    out = []
    for label, key, digits, scaled_key in rows:
        v = f.get(key) if key else math.nan
        sv = f.get(scaled_key) if scaled_key else None
        if (key and v is None) or (key is None and sv is None):
            continue
        out.append((label, v, digits, sv))
    return out


def summary_text(result: CBResult) -> str:
    """A plain-text summary with fit measures and estimates grouped as lavaan groups them."""
    f = result.fit_measures
    out = [
        f"semwidget {result.engine.upper()} fit — estimator {result.estimator}, "
        f"missing = {result.missing}",
        f"  {'converged' if result.converged else 'NOT converged'} after "
        f"{result.iterations} iterations; {int(f.get('npar', 0))} free parameters; "
        f"{result.nobs} observations",
    ]
    if result.options.get("rotation"):  # efa blocks (lavaan prints the rotation the same way)
        out.append(f"  rotation {result.options['rotation']}, "
                   f"{'orthogonal' if result.options.get('rotation_orthogonal') else 'oblique'}")
    if result.options.get("sampling_weights"):
        out.append(f"  sampling weights: {result.options['sampling_weights']}")
    out += ["", "Model fit:"]
    scaled = "chisq_scaled" in f
    if scaled:
        test = TEST_NAMES.get(str(result.options.get("test", "")), "scaled")
        out.append(f"  {'':<34}{'Standard':>9}{'Scaled':>9}   ({test} correction)")
    for name, v, d, sv in _fit_lines(result):
        if name == "GFI / AGFI":
            out.append(f"  {name:<34}{_num(v)}{_num(f.get('agfi'))}")
        elif d == 0 and not (isinstance(sv, float) and sv != int(sv)):
            std = f"{int(v):>9d}" if not math.isnan(v) else " " * 9
            out.append(f"  {name:<34}{std}" + (f"{int(sv):>9d}" if sv is not None else ""))
        else:
            out.append(f"  {name:<34}{_num(v)}" + (_num(sv) if sv is not None else ""))
    if result.multigroup:
        per = result.nobs_per_group or {}
        for g, label in enumerate(result.groups, start=1):
            est = result.estimates
            out += ["", f"Group {g} [{label}] ({per.get(label, '')} observations):"]
            out += _estimate_lines(est[est["group"] == g], result.r2.get(label, {}))
        est = result.estimates
        out += _estimate_lines(est[est["group"] == 0], {})
    else:
        out += _estimate_lines(result.estimates, result.r2)
        out += _constraint_lines(result.table)
    if result.warnings:
        out += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(out)


def _constraint_lines(table: pd.DataFrame) -> list[str]:
    """lavaan's "Constraints" section: ``lhs - (rhs)`` and its absolute slack at the estimate."""
    # the usual case, from the stored column (a new frame's first column read costs more)
    if not {"==", "<", ">"} & set(column_arrays(table)["op"].tolist()):
        return []
    rows = table[table["op"].isin(["==", "<", ">"])]
    from semwidget.model.defined import compile_expression

    named = table[(table["label"] != "") & table["op"].isin(["=~", "~", "~~", "~1"])]
    env = {str(k): float(v) for k, v in zip(named["label"], named["est"], strict=True)}
    defined = table[table["op"] == ":="]
    env.update({str(k): float(v) for k, v in zip(defined["lhs"], defined["est"], strict=True)})
    out = ["", "Constraints:", f"  {'':<44}{'|Slack|':>9}"]
    for lhs, op, rhs in rows[["lhs", "op", "rhs"]].itertuples(index=False):
        where = f"{lhs} {op} {rhs}"
        slack = compile_expression(str(lhs), set(env), where)(env) - \
            compile_expression(str(rhs), set(env), where)(env)
        out.append(f"    {f'{lhs} - ({rhs})':<42}{_num(abs(slack))}")
    return out


def _estimate_lines(est: pd.DataFrame, r2: dict[str, float]) -> list[str]:
    """The estimates in lavaan's sections, then R²."""
    out: list[str] = []
    header = (f"  {'':<22}{'Estimate':>9}{'Std.Err':>9}{'z-value':>9}{'P(>|z|)':>9}"
              f"{'Std.lv':>9}{'Std.all':>9}")
    # one pass over plain column lists: a frame iteration per section was most of a summary
    cols = column_arrays(est)
    records = [_Row(*values) for values in zip(*(cols[c].tolist() for c in _Row._fields),
                                                strict=True)]
    by_section: dict[str, list[_Row]] = {}
    for r in records:  # one pass, in table order within each section
        by_section.setdefault(_section(r.op, r.lhs, r.rhs), []).append(r)
    for key, title in SECTIONS:
        rows = by_section.get(key, [])
        if not rows:
            continue
        out += ["", f"{title}:", header]
        current = None
        for r in rows:
            if key in ("=~", "~", "~~cov") and r.lhs != current:
                current = r.lhs
                out.append(f"  {r.lhs} {r.op}")
            if key in ("=~", "~", "~~cov"):
                name = f"    {r.rhs}"
            elif key == ":=":
                name = f"    {r.lhs}"
            elif key == "|":
                name = f"    {r.lhs}|{r.rhs}"
            else:
                name = f"    {r.lhs}"
            if r.label:
                name += f" ({r.label})"
            out.append(f"{name:<24}{_num(r.est)}{_num(r.se)}{_num(r.z, digits=3)}"
                       f"{_num(r.pvalue)}{_num(r.std_lv)}{_num(r.std_all)}")
    if r2:
        out += ["", "R-Square:"]
        for k, v in r2.items():
            out.append(f"    {k:<20}{_num(v)}")
    return out


def summary_html(result: CBResult) -> str:
    """The summary as an HTML table for notebooks (all text escaped)."""
    esc = html.escape
    parts = ["<div class='semwidget-summary'>"]
    parts.append(
        f"<p><b>{esc(result.engine.upper())} fit</b> — {esc(result.estimator)}, "
        f"N = {result.nobs}, {'converged' if result.converged else '<b>not converged</b>'}"
        "</p>")
    fit_cells = "".join(
        f"<tr><td>{esc(k)}</td><td style='text-align:right'>"
        f"{int(v) if d == 0 else f'{v:.3f}'}</td></tr>"
        for k, v, d, _ in _fit_lines(result) if v is not None and not
        (isinstance(v, float) and math.isnan(v)) and k != "GFI / AGFI")
    parts.append(f"<table><caption>Model fit</caption>{fit_cells}</table>")
    cols = ["lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "std_all"]
    if result.multigroup:
        cols.insert(0, "group_label")
    head = "".join(f"<th>{c}</th>" for c in cols)
    body = []
    for r in result.estimates.itertuples(index=False):
        cells = []
        for c in cols:
            v = getattr(r, c)
            if isinstance(v, float):
                cells.append("<td></td>" if math.isnan(v) else
                             f"<td style='text-align:right'>{v:.3f}</td>")
            else:
                cells.append(f"<td>{esc(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    parts.append(f"<table><caption>Estimates</caption><tr>{head}</tr>{''.join(body)}</table>")
    if result.warnings:
        parts.append("<ul>" + "".join(f"<li>{esc(w)}</li>" for w in result.warnings) + "</ul>")
    parts.append("</div>")
    return "".join(parts)
