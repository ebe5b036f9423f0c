"""Plain-text summary of a PLS-SEM result (what the CLI prints without ``--json``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from semwidget.pls.result import PLSResult


def _f(v: Any, width: int = 9) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return " " * width
    return f"{float(v):{width}.3f}"


def pls_summary_text(result: PLSResult) -> str:
    """Paths and loadings (with bootstrap SE, t, p and CI when available), R², reliability."""
    lines = [
        f"semwidget PLS-SEM fit — scheme {result.options.get('scheme', 'path')}"
        f"{', consistent (PLSc)' if result.options.get('consistent') else ''}",
        f"  {'converged' if result.converged else 'NOT converged'} after "
        f"{result.iterations} iterations; {result.nobs} observations; "
        f"bootstrap resamples: {result.bootstrap or 'none'}",
    ]
    est = result.estimates
    head = (f"  {'':<30}{'Estimate':>9}{'Std.Err':>9}{'t':>9}{'P(>|t|)':>9}"
            f"{'CI low':>9}{'CI high':>9}")
    for op, title in (("~", "Paths"), ("=~", "Loadings"), ("<~", "Weights")):
        rows = est[est["op"] == op]
        if rows.empty:
            continue
        lines += ["", f"{title}:", head]
        for r in rows.itertuples(index=False):
            name = f"{r.lhs} {op} {r.rhs}"
            lines.append(f"    {name:<28}{_f(r.est)}{_f(r.se)}{_f(getattr(r, 't', r.z))}"
                         f"{_f(r.pvalue)}{_f(r.ci_lower)}{_f(r.ci_upper)}")
    lines += ["", "R-Square (adjusted):"]
    for k, v in result.r2.items():
        lines.append(f"    {k:<28}{_f(v)}{_f(result.r2_adj.get(k))}")
    lines += ["", "Reliability:", f"  {'':<30}{'alpha':>9}{'rho_A':>9}{'rho_C':>9}{'AVE':>9}"]
    for name, r in result.reliability.iterrows():
        lines.append(f"    {name:<28}{_f(r['alpha'])}{_f(r['rho_a'])}{_f(r['rho_c'])}"
                     f"{_f(r['ave'])}")
    if len(result.htmt):
        lines += ["", "HTMT:"]
        for r in result.htmt.itertuples(index=False):
            lines.append(f"    {r.a + ' / ' + r.b:<28}{_f(r.est)}")
    lines += ["", f"SRMR: {_f(result.srmr).strip()}"]
    if result.warnings:
        lines += ["", "Warnings:"] + [f"  - {w}" for w in result.warnings]
    return "\n".join(lines)
