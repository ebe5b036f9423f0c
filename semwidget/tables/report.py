"""Publication tables of a fitted CB-SEM model, rendered as HTML, Markdown or LaTeX.

The tables of a typical CB-SEM paper: measurement model (standardized loadings, R², α, CR,
AVE), model fit with recommended cut-offs, structural paths with hypotheses, mediation,
Fornell–Larcker and HTMT. Numbers follow APA style: no leading zero for quantities that cannot
exceed 1 (standardized coefficients, R², reliabilities, p values, incremental fit indices) and
``< .001`` for small p values.
"""

from __future__ import annotations

import abc
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from semwidget.errors import ModelSpecError

if TYPE_CHECKING:
    from semwidget.cb.result import CBResult

# Cut-offs commonly cited (Hu & Bentler, 1999; Kline, 2016; Hair et al., 2019).
CUTOFFS: dict[str, tuple[str, float, str]] = {
    "chisq_df": ("<", 3.0, "χ²/df"),
    "rmsea": ("<", 0.08, "RMSEA"),
    "srmr": ("<", 0.08, "SRMR"),
    "rmr": ("<", 0.08, "RMR"),
    "gfi": (">", 0.90, "GFI"),
    "agfi": (">", 0.80, "AGFI"),
    "nfi": (">", 0.90, "NFI"),
    "ifi": (">", 0.90, "IFI"),
    "rfi": (">", 0.90, "RFI"),
    "tli": (">", 0.90, "TLI"),
    "cfi": (">", 0.90, "CFI"),
}
BOUNDED_FIT = {"rmsea", "srmr", "gfi", "agfi", "nfi", "ifi", "rfi", "cfi", "tli"}
HYPOTHESIS = re.compile(r"^H\d+[a-z]?$", re.IGNORECASE)


def apa(x: float, digits: int = 2, bounded: bool = False) -> str:
    """A number in APA style; ``bounded`` drops the leading zero (e.g. ``.85``, ``-.12``)."""
    if x is None or not np.isfinite(x):
        return ""
    text = f"{x:.{digits}f}"
    if bounded:
        text = text.replace("0.", ".", 1) if abs(x) < 1 else text
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def apa_p(p: float) -> str:
    """A p value in APA style: ``< .001`` or three decimals without the leading zero."""
    if p is None or not np.isfinite(p):
        return ""
    return "< .001" if p < 0.001 else apa(p, 3, bounded=True)


def stars(p: float) -> str:
    """``***`` p < .001, ``**`` p < .01, ``*`` p < .05."""
    if p is None or not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


@dataclass
class Section:
    """One table: a title, string cells and a note."""

    title: str
    table: pd.DataFrame
    note: str = ""


@dataclass
class Report:
    """The tables of a fitted model; renders in Jupyter and exports to files.

    Use :meth:`to_markdown`, :meth:`to_latex`, :meth:`to_html` or :meth:`save`.
    """

    sections: list[Section] = field(default_factory=list)

    def __getitem__(self, title: str) -> pd.DataFrame:
        for s in self.sections:
            if s.title.lower().startswith(title.lower()):
                return s.table
        raise KeyError(f"no table titled {title!r}; tables: {[s.title for s in self.sections]}")

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown tables with their notes."""
        out = []
        for s in self.sections:
            t = s.table
            cols = [_md(c) for c in t.columns]
            lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            for row in t.itertuples(index=False):
                lines.append("| " + " | ".join(_md(v) for v in row) + " |")
            out.append(f"### {s.title}\n\n" + "\n".join(lines)
                       + (f"\n\n*Note.* {s.note}" if s.note else ""))
        return "\n\n".join(out) + "\n"

    def to_html(self) -> str:
        """A standalone HTML fragment (one ``<table>`` per section)."""
        parts = ['<div class="semwidget-report">']
        for s in self.sections:
            head = "".join(f"<th>{html.escape(str(c))}</th>" for c in s.table.columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row)
                           + "</tr>" for row in s.table.itertuples(index=False))
            parts.append(f"<h4>{html.escape(s.title)}</h4><table><thead><tr>{head}</tr></thead>"
                         f"<tbody>{body}</tbody></table>")
            if s.note:
                parts.append(f"<p><em>Note.</em> {html.escape(s.note)}</p>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_latex(self) -> str:
        """One ``table`` environment per section (booktabs rules)."""
        out = []
        for s in self.sections:
            cols = list(s.table.columns)
            lines = [r"\begin{table}[htbp]", r"\centering", f"\\caption{{{_tex(s.title)}}}",
                     r"\begin{tabular}{" + "l" * len(cols) + "}", r"\toprule",
                     " & ".join(_tex(str(c)) for c in cols) + r" \\", r"\midrule"]
            for row in s.table.itertuples(index=False):
                lines.append(" & ".join(_tex(str(v)) for v in row) + r" \\")
            lines += [r"\bottomrule", r"\end{tabular}"]
            if s.note:
                lines.append(f"\\par\\smallskip\\footnotesize\\textit{{Note.}} {_tex(s.note)}")
            lines.append(r"\end{table}")
            out.append("\n".join(lines))
        return "\n\n".join(out) + "\n"

    def save(self, path: str | Path) -> Path:
        """Write the report; the format follows the suffix (``.md``, ``.tex``, ``.html``)."""
        path = Path(path)
        writers = {".md": self.to_markdown, ".tex": self.to_latex, ".html": self.to_html,
                   ".htm": self.to_html}
        if path.suffix.lower() not in writers:
            raise ModelSpecError(f"cannot write '{path.name}': use a .md, .tex or .html file")
        path.write_text(writers[path.suffix.lower()](), encoding="utf-8")
        return path


_TEX = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
        "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
        "χ": r"$\chi$", "²": r"$^2$", "α": r"$\alpha$", "β": r"$\beta$", "√": r"$\surd$",
        "→": r"$\rightarrow$", "<": r"$<$", ">": r"$>$", "ω": r"$\omega$"}


_MD_SPECIAL = re.compile(r"([\\|])")
_CONTROL = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _short(value: object, limit: int = 80) -> str:
    """``value`` as text for a message or a cell, cut to ``limit`` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    try:
        text = str(value)
    except ValueError:
        text = f"<a {type(value).__name__} too large to show>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _md(value: object) -> str:
    """A Markdown table cell: user text stays text (no raw HTML, no broken table rows)."""
    text = _CONTROL.sub(" ", _short(value, 500))
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


def _tex(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in text)


# ---- the tables ------------------------------------------------------------------------------

def measurement_table(result: CBResult, digits: int = 3) -> Section:
    """Standardized loadings and R² per item; α, CR and AVE per construct."""
    from semwidget.tables.reliability import reliability

    rel = reliability(result, single="nan")
    est = result.estimates
    rows = []
    for f in rel.index:
        sub = est[(est["op"] == "=~") & (est["lhs"] == f)]
        for k, (item, lam, p) in enumerate(zip(sub["rhs"], sub["std_all"], sub["pvalue"],
                                               strict=True)):
            first = k == 0
            rows.append({
                "Construct": f if first else "", "Item": item,
                "Loading": apa(lam, digits, True) + stars(p),
                "R²": apa(result.r2.get(item, np.nan), digits, True),
                "α": apa(rel.at[f, "alpha"], digits, True) if first else "",
                "CR": apa(rel.at[f, "cr"], digits, True) if first else "",
                "AVE": apa(rel.at[f, "ave"], digits, True) if first else "",
            })
    note = ("Standardized loadings; R² of each item; α = Cronbach's alpha; CR = composite "
            "reliability (Σλ)²/((Σλ)² + Σ(1 − λ²)); AVE = mean λ². Marker loadings are fixed "
            "(no p value). * p < .05, ** p < .01, *** p < .001.")
    return Section("Measurement model", pd.DataFrame(rows), note)


def fit_table(result: CBResult, cutoffs: dict[str, tuple[str, float]] | None = None,
              digits: int = 3) -> Section:
    """χ², df, p and the fit indices with recommended cut-offs and a verdict."""
    fm = result.fit_measures
    cut = {k: (op, v) for k, (op, v, _) in CUTOFFS.items()}
    if cutoffs:
        unknown = set(cutoffs) - set(cut)
        if unknown:
            raise ModelSpecError(f"unknown fit measure(s) {sorted(unknown)}; known: "
                                 f"{sorted(cut)}")
        cut.update(cutoffs)
    rows = [{"Measure": "χ²", "Value": apa(fm.get("chisq", np.nan), 2), "Cut-off": "",
             "Verdict": ""},
            {"Measure": "df", "Value": f"{fm.get('df', np.nan):.0f}", "Cut-off": "",
             "Verdict": ""},
            {"Measure": "p", "Value": apa_p(fm.get("pvalue", np.nan)), "Cut-off": "> .05",
             "Verdict": _verdict(fm.get("pvalue", np.nan), ">", 0.05)}]
    for key, (op, value) in cut.items():
        x = fm.get(key, np.nan)
        bounded = key in BOUNDED_FIT
        rows.append({"Measure": CUTOFFS[key][2], "Value": apa(x, digits, bounded),
                     "Cut-off": f"{op} {apa(value, 2, bounded)}",
                     "Verdict": _verdict(x, op, value)})
    note = ("Cut-offs as commonly cited (Hu & Bentler, 1999; Kline, 2016); they are rules of "
            "thumb, not tests.")
    return Section("Model fit", pd.DataFrame(rows), note)


def _verdict(x: float, op: str, value: float) -> str:
    if x is None or not np.isfinite(x):
        return ""
    ok = x < value if op == "<" else x > value
    return "acceptable" if ok else "not met"


def path_table(result: CBResult, hypotheses: dict[str, str] | None = None,
               alpha: float = 0.05) -> Section:
    """Structural paths: hypothesis, path, β, B, SE, z, p, stars and whether supported.

    Hypothesis labels come from ``hypotheses`` (``{"y ~ x": "H1"}``) or from parameter labels
    of the form ``H1``, ``H2a`` in the syntax (``y ~ H1*x``).
    """
    est = result.estimates
    reg = est[est["op"] == "~"]
    hyp = dict(hypotheses or {})
    known = {f"{a} ~ {b}" for a, b in zip(reg["lhs"], reg["rhs"], strict=True)}
    unknown = [k for k in hyp if _norm(k) not in known]
    if unknown:
        raise ModelSpecError(f"'{_short(unknown[0])}' is not a regression of the model; paths "
                             f"are {_short(sorted(known), 300)}", name=_short(unknown[0]))
    hyp = {_norm(k): v for k, v in hyp.items()}
    rows = []
    for r in reg.itertuples(index=False):
        key = f"{r.lhs} ~ {r.rhs}"
        label = hyp.get(key, r.label if HYPOTHESIS.match(str(r.label)) else "")
        rows.append({"Hypothesis": label, "Path": f"{r.rhs} → {r.lhs}",
                     "β": apa(r.std_all, 3, True), "B": apa(r.est, 3), "SE": apa(r.se, 3),
                     "z": apa(r.z, 2), "p": apa_p(r.pvalue), "": stars(r.pvalue),
                     "Supported": ("" if not label else
                                   "yes" if np.isfinite(r.pvalue) and r.pvalue < alpha
                                   else "no")})
    note = ("β = standardized coefficient; B = unstandardized; SE = "
            + ("bootstrap " if result.options.get("se") == "bootstrap" else "")
            + "standard error; z = B/SE (the critical ratio AMOS reports as T value). "
            "* p < .05, ** p < .01, *** p < .001.")
    return Section("Structural paths", pd.DataFrame(rows), note)


def _norm(key: str) -> str:
    parts = key.split("~")
    if len(parts) != 2:
        return key
    return f"{parts[0].strip()} ~ {parts[1].strip()}"


def mediation_table(result: CBResult, pairs: list[tuple[str, str]] | None = None) -> Section:
    """Defined effects (``:=``) and the effects of the requested ``(x, y)`` pairs."""
    from semwidget.cb.effects import indirect

    rows = []
    est = result.estimates
    boot = result.options.get("se") == "bootstrap"
    for r in est[est["op"] == ":="].itertuples(index=False):
        rows.append(_effect_row(r.lhs, r.rhs, r.est, r.se, r.std_all, r.pvalue, r.ci_lower,
                                r.ci_upper))
    for x, y in pairs or []:
        eff = indirect(result, x, y)
        for r in eff.itertuples(index=False):
            name = r.effect if r.effect != "indirect" else "indirect"
            rows.append(_effect_row(name, r.path, r.est, r.se, r.std_all, r.pvalue, r.ci_lower,
                                    r.ci_upper))
    ci = "bootstrap percentile" if boot else "delta-method (normal)"
    note = (f"Effect = product of coefficients along the path; 95% CI {ci}. An indirect "
            "effect is supported when its CI excludes 0.")
    return Section("Mediation", pd.DataFrame(rows, columns=[
        "Effect", "Path", "B", "SE", "β", "95% CI", "p", "Mediation"]), note)


def _effect_row(name: str, path: str, est: float, se: float, std: float, p: float, lo: float,
                hi: float) -> dict[str, str]:
    sig = np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)
    verdict = "" if name in ("direct", "total") else "supported" if sig else "not supported"
    return {"Effect": name, "Path": path, "B": apa(est, 3), "SE": apa(se, 3),
            "β": apa(std, 3, True), "95% CI": f"[{apa(lo, 3)}, {apa(hi, 3)}]", "p": apa_p(p),
            "Mediation": verdict}


def fornell_larcker_table(result: CBResult) -> Section:
    """√AVE on the diagonal, latent correlations below it."""
    from semwidget.tables.validity import validity

    v = validity(result)
    fl = v.fornell_larcker
    t = fl.map(lambda x: apa(x, 3, True)).reset_index(names="")
    note = ("Diagonal: square root of the AVE; below: latent correlations. Discriminant "
            "validity holds when each diagonal value exceeds the correlations in its row and "
            "column (Fornell & Larcker, 1981).")
    return Section("Fornell–Larcker criterion", t, note)


def htmt_table(result: CBResult, threshold: float = 0.85) -> Section:
    """HTMT ratios below the diagonal."""
    from semwidget.tables.validity import validity

    v = validity(result, thresholds={"htmt": threshold})
    lower = np.tril(np.ones(v.htmt.shape, dtype=bool), -1)
    ht = pd.DataFrame(np.where(lower, v.htmt.to_numpy(), np.nan), index=v.htmt.index,
                      columns=v.htmt.columns)
    t = ht.map(lambda x: apa(x, 3, False)).reset_index(names="")
    note = (f"Heterotrait–monotrait ratio (Henseler et al., 2015); values below {threshold:.2f} "
            "indicate discriminant validity.")
    return Section("HTMT", t, note)


def report(result: CBResult, hypotheses: dict[str, str] | None = None,
           mediation: list[tuple[str, str]] | None = None,
           cutoffs: dict[str, tuple[str, float]] | None = None,
           htmt_threshold: float = 0.85, invariance: Any = None) -> Report:
    """Every table of a CB-SEM paper for one fitted model.

    With groups: the fit of the whole model, then the measurement and path tables of each
    group (titled with the group).

    Parameters
    ----------
    result : CBResult
    hypotheses : dict, optional
        ``{"y ~ x": "H1", ...}``; by default labels like ``H1`` in the syntax are used.
    mediation : list of (x, y), optional
        Pairs for which to list specific indirect, direct and total effects (``:=`` rows are
        always listed).
    cutoffs : dict, optional
        Overrides of the fit cut-offs, e.g. ``{"cfi": (">", .95)}``.
    htmt_threshold : float
        .85 (conservative) or .90 (liberal).
    invariance : Invariance, optional
        The result of :func:`semwidget.invariance`; its ladder table is added at the end.
    """
    sections = []
    if getattr(result, "multigroup", False):
        sections.append(fit_table(result, cutoffs))
        for view in result.group_results or []:
            label = view.groups[0]
            parts = []
            if (view.table["op"] == "=~").any():
                parts.append(measurement_table(view))
            if (view.table["op"] == "~").any():
                parts.append(path_table(view, hypotheses))
            sections += [Section(f"{s.title} — {label}", s.table, s.note) for s in parts]
        if (result.table["op"] == ":=").any():
            sections.append(mediation_table(result))  # := rows span the groups (group 0)
        if invariance is not None:
            sections.append(invariance.section())
        return Report(sections)
    has_latent = bool((result.table["op"] == "=~").any())
    if has_latent:
        sections.append(measurement_table(result))
    sections.append(fit_table(result, cutoffs))
    if (result.table["op"] == "~").any():
        sections.append(path_table(result, hypotheses))
    if (result.table["op"] == ":=").any() or mediation:
        sections.append(mediation_table(result, mediation))
    if has_latent and len(result.model.names) - result.model.n_obs > 1:
        sections.append(fornell_larcker_table(result))
        sections.append(htmt_table(result, htmt_threshold))
    if invariance is not None:
        sections.append(invariance.section())
    return Report(sections)


class OneTable(abc.ABC):
    """A result shown as one formatted table: subclasses give :meth:`section`."""

    @abc.abstractmethod
    def section(self) -> Section:
        """The formatted table as a report section."""

    def report(self) -> Report:
        """A one-table :class:`~semwidget.tables.report.Report`."""
        return Report([self.section()])

    def to_markdown(self) -> str:
        """The table as Markdown."""
        return self.report().to_markdown()

    def to_html(self) -> str:
        """The table as HTML."""
        return self.report().to_html()

    def to_latex(self) -> str:
        """The table as LaTeX."""
        return self.report().to_latex()

    def _repr_html_(self) -> str:
        return self.to_html()
