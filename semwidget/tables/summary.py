"""Readable summaries of a CB-SEM fit (plain text like lavaan's ``summary``, and HTML)."""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from semwidget.cb.result import CBResult

SECTIONS = [
    ("=~", "Latent Variables"),
    ("~", "Regressions"),
    ("~~cov", "Covariances"),
    ("~1", "Intercepts"),
    ("~~var", "Variances"),
    (":=", "Defined Parameters"),
]


def _section(op: str, lhs: str, rhs: str) -> str:
    if op == "~~":
        return "~~var" if lhs == rhs else "~~cov"
    return op


def _num(v: float, width: int = 9, digits: int = 3) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return " " * width
    return f"{v:{width}.{digits}f}"


def _fit_lines(result: CBResult) -> list[tuple[str, float, int]]:
    f = result.fit_measures
    rows = [
        ("Test statistic (chi-square)", f.get("chisq"), 3),
        ("Degrees of freedom", f.get("df"), 0),
        ("P-value (chi-square)", f.get("pvalue"), 3),
        ("Comparative Fit Index (CFI)", f.get("cfi"), 3),
        ("Tucker-Lewis Index (TLI)", f.get("tli"), 3),
        ("RMSEA", f.get("rmsea"), 3),
        ("  90 percent CI - lower", f.get("rmsea_ci_lower"), 3),
        ("  90 percent CI - upper", f.get("rmsea_ci_upper"), 3),
        ("SRMR", f.get("srmr"), 3),
        ("GFI / AGFI", f.get("gfi"), 3),
        ("Loglikelihood", f.get("logl"), 3),
        ("AIC", f.get("aic"), 3),
        ("BIC", f.get("bic"), 3),
    ]
    return [(k, v, d) for k, v, d in rows if v is not None]


def summary_text(result: CBResult) -> str:
    """A plain-text summary with fit measures and estimates grouped as lavaan groups them."""
    f = result.fit_measures
    out = [
        f"semwidget {result.engine.upper()} fit — estimator {result.estimator}, "
        f"missing = {result.missing}",
        f"  {'converged' if result.converged else 'NOT converged'} after "
        f"{result.iterations} iterations; {int(f.get('npar', 0))} free parameters; "
        f"{result.nobs} observations",
        "",
        "Model fit:",
    ]
    for name, v, d in _fit_lines(result):
        if name == "GFI / AGFI":
            out.append(f"  {name:<34}{_num(v)}{_num(f.get('agfi'))}")
        elif d == 0:
            out.append(f"  {name:<34}{int(v):>9d}")
        else:
            out.append(f"  {name:<34}{_num(v)}")
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
    if result.warnings:
        out += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(out)


def _estimate_lines(est: pd.DataFrame, r2: dict[str, float]) -> list[str]:
    """The estimates in lavaan's sections, then R²."""
    out: list[str] = []
    header = (f"  {'':<22}{'Estimate':>9}{'Std.Err':>9}{'z-value':>9}{'P(>|z|)':>9}"
              f"{'Std.lv':>9}{'Std.all':>9}")
    for key, title in SECTIONS:
        rows = [r for r in est.itertuples(index=False) if _section(r.op, r.lhs, r.rhs) == key]
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
        for k, v, d in _fit_lines(result) if v is not None and not
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
