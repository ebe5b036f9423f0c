"""The widget's model tools in a real JupyterLab: suggested paths, indirect effects, dark theme.

Chromium clicks "Suggest paths" on the fitted HS CFA, adds the top suggestion by mouse and the
next one by keyboard, picks X and Y with the indirect-effect tool on a mediation model, and
switches JupyterLab to its dark theme for ``docs/dark_theme.png`` (with contrast checks).
Reference numbers are lavaan 0.6.14's for the same models.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from lab_server import REPO, NotebookPage, open_notebook
from model_texts import HS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEDIATION = HS + "textual ~ visual\nspeed ~ textual + visual\n"

SETUP = (
    "import pandas as pd\n"
    "from importlib import resources\n"
    "from semwidget.model import parse\n"
    "from semwidget.widget import SEMWidget\n"
    "def dataset(name):\n"
    "    with resources.files('semwidget').joinpath(f'datasets/{name}.csv').open() as f:\n"
    "        return pd.read_csv(f)\n"
    "def edges(widget):\n"
    "    t = parse(widget.syntax)\n"
    "    return sorted(f'{a} {o} {b}' for a, o, b in zip(t['lhs'], t['op'], t['rhs']))\n"
)

CELLS = [
    # 0: the HS CFA, fitted with the Fit button by the test (each widget cell stands alone)
    SETUP + f"w = SEMWidget(dataset('hs1939'), {HS!r}, auto_fit=False)\nw",
    # 1: the parameters of the kernel's syntax
    "print('EDGES', edges(w), 'ERROR<<' + w.error + '>>')",
    # 2: a mediation model, fitted from Python
    SETUP + f"mw = SEMWidget(dataset('hs1939'), {MEDIATION!r})\nmw.fit()\nmw",
    # 3: the kernel's syntax of the mediation model
    "print('SYNTAX<<' + mw.syntax + '>>', 'ERROR<<' + mw.error + '>>')",
    # 4: the fitted HS CFA for the dark-theme picture
    SETUP + f"dw = SEMWidget(dataset('hs1939'), {HS!r})\ndw.fit()\ndw",
]


@pytest.fixture(scope="module")
def notebook(chromium: Any) -> Iterator[NotebookPage]:
    with open_notebook(chromium, "Tools.ipynb", CELLS) as nb:
        yield nb


def _widget(notebook: NotebookPage, index: int) -> Any:
    notebook.run(index)
    root = notebook.cell(index).locator(".semw-root")
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    return root


def _kernel_edges(notebook: NotebookPage, expected: str) -> list[str]:
    text = notebook.run_until(1, "EDGES", [f"'{expected}'"])
    match = re.search(r"EDGES (\[.*?\])", text)
    assert match, text
    assert "ERROR<<>>" in text, text
    return re.findall(r"'([^']*)'", match.group(1))


def test_suggested_paths_are_drawn_and_added(notebook: NotebookPage) -> None:
    page = notebook.page
    root = _widget(notebook, 0)
    suggest = root.locator("[data-action=modindices]")
    assert suggest.get_attribute("aria-label") == "Suggest paths (modification indices)"
    assert suggest.is_disabled(), "suggestions need a CB-SEM fit first"
    root.locator("[data-action=fit]").click()
    root.locator("[data-role=coef]").first.wait_for(timeout=60_000)
    assert suggest.is_enabled()

    suggest.click()
    root.locator("[data-ghost]").first.wait_for()
    assert root.locator("[data-ghost]").count() == 5
    assert suggest.get_attribute("aria-pressed") == "true"
    assert root.locator("[data-edge]").count() == 12  # the model's edges are unchanged
    # lavaan: the largest modification index of the HS CFA is visual =~ x9, 36.411
    top = root.locator('[data-ghost="visual =~ x9"]')
    assert top.get_attribute("data-role") == "ghost"
    assert top.locator(".semw-ghost-label").text_content() == "MI 36.4"
    assert root.locator('[data-ghost="x7 ~~ x8"]').get_attribute("data-shape") == "cov"
    dash = top.locator(".semw-ghost").evaluate("e => getComputedStyle(e).strokeDasharray")
    assert dash not in ("", "none"), "ghost arrows are dashed"

    # --- a click adds it to the model, refits and reports the change
    before = _kernel_edges(notebook, "visual =~ x1")
    assert "visual =~ x9" not in before
    top.locator(".semw-label-bg").click()
    note = root.locator("[data-role=change]")
    note.wait_for()
    # lavaan: chi-square 85.306 -> 52.382, CFI .931 -> .967
    assert note.inner_text().startswith(
        "Added visual =~ x9: \u03c7\u00b2 85.31 \u2192 52.38 (\u0394 \u221232.92), "
        "CFI .931 \u2192 .967"
    ), note.inner_text()
    root.locator('[data-edge="visual =~ x9"] [data-role=coef]').wait_for()
    assert root.locator("[data-ghost]").count() == 0
    after = _kernel_edges(notebook, "visual =~ x9")
    assert sorted([*before, "visual =~ x9"]) == after

    # --- keyboard: show the new suggestions, focus one, press Enter
    suggest.click()
    ghost = root.locator("[data-ghost]").first
    ghost.wait_for()
    edge = ghost.get_attribute("data-ghost")
    assert edge and edge not in after
    ghost.focus()
    page.keyboard.press("Enter")
    root.locator(f'[data-edge="{edge}"]').wait_for()
    page.wait_for_function(
        "([el, edge]) => el.textContent.includes('Added ' + edge)",
        arg=[note.element_handle(), edge],
    )
    assert edge in _kernel_edges(notebook, edge)

    # --- the note can be dismissed
    note.locator("[data-action=dismiss-change]").click()
    assert note.is_hidden()


def test_indirect_effect_tool(notebook: NotebookPage) -> None:
    root = _widget(notebook, 2)
    root.locator('[data-edge="speed ~ textual"] [data-role=coef]').wait_for(timeout=60_000)
    assert root.locator("[data-role=effect]").count() == 0
    tool = root.locator("[data-action=indirect]")
    tool.click()
    assert tool.get_attribute("aria-pressed") == "true"
    root.locator("[data-node=visual] ellipse").click()
    assert "click the outcome Y" in root.locator(".semw-status").inner_text()
    root.locator("[data-node=speed] ellipse").click()
    row = root.locator('[data-role=effect][data-effect="ind_visual_speed"]')
    row.wait_for()
    assert tool.get_attribute("aria-pressed") == "false"
    # the estimate arrives with the refit; lavaan: 0.027 [-0.025, 0.078], p = .306
    # The effects table is rebuilt on every redraw: wait on a locator (queried afresh each
    # poll), never an element handle, which the refit's redraw would leave detached.
    expect(row.locator("td").nth(1)).not_to_have_text("\u2013", timeout=60_000)
    cells = row.locator("th, td").all_inner_texts()
    assert cells[:5] == ["ind_visual_speed", "a*b", "0.027", "[\u22120.025, 0.078]", ""], cells
    text = notebook.run_until(3, "SYNTAX<<", ["ind_visual_speed := a*b"])
    assert "textual ~ a*visual" in text
    assert "speed ~ b*textual + visual" in text
    assert "ind_visual_speed := a*b" in text
    assert "ERROR<<>>" in text


def _set_dark_theme(page: Any) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Dark$")).click()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")


_RGBA = """
(el, prop) => {
  // Computed colours are rgb()/rgba(), or color(srgb ...) for color-mix() results.
  const c = getComputedStyle(el)[prop];
  const nums = (s) => s.split(/[ ,/]+/).filter(Boolean).map(Number);
  let m = c.match(/^rgba?\\(([^)]+)\\)$/);
  if (m) { const [r, g, b, a = 1] = nums(m[1]); return [r, g, b, a]; }
  m = c.match(/^color\\(srgb ([^)]+)\\)$/);
  if (m) { const [r, g, b, a = 1] = nums(m[1]); return [r * 255, g * 255, b * 255, a]; }
  return c;
}
"""


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _colour(locator: Any, prop: str, background: tuple[float, ...]) -> tuple[float, ...]:
    """The computed colour of ``prop`` composited over ``background`` (alpha applied)."""
    rgba = locator.evaluate(_RGBA, prop)
    assert isinstance(rgba, list), f"{prop} is {rgba!r}, not an sRGB colour"
    r, g, b, a = rgba
    return tuple(a * c + (1 - a) * bc for c, bc in zip((r, g, b), background, strict=True))


def _contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    hi, lo = sorted((_luminance(one[:3]), _luminance(two[:3])), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_dark_theme_screenshot(notebook: NotebookPage) -> None:
    page = notebook.page
    _set_dark_theme(page)
    root = _widget(notebook, 4)
    root.locator('[data-edge="visual =~ x2"] [data-role=coef]').wait_for(timeout=60_000)
    root.locator("[data-action=fit-view]").click()
    page.wait_for_timeout(300)

    background = _colour(root, "backgroundColor", (0, 0, 0))
    assert _luminance(background) < 0.1, f"the widget should be dark, got {background}"
    checks = {
        "node name on an observed node": (
            root.locator("[data-node=x1] .semw-name"),
            "fill",
            root.locator("[data-node=x1] .semw-observed"),
        ),
        "node name on a latent node": (
            root.locator("[data-node=visual] .semw-name"),
            "fill",
            root.locator("[data-node=visual] .semw-latent"),
        ),
        "R\u00b2 text": (
            root.locator("[data-node=x1] .semw-r2"),
            "fill",
            root.locator("[data-node=x1] .semw-observed"),
        ),
        "coefficient on its label box": (
            root.locator('[data-edge="visual =~ x2"] .semw-label'),
            "fill",
            root.locator('[data-edge="visual =~ x2"] .semw-label-bg'),
        ),
        "arrowhead on the background": (
            root.locator('[data-edge="visual =~ x2"] .semw-head'),
            "fill",
            None,
        ),
        "node outline on the background": (
            root.locator("[data-node=x1] .semw-observed"),
            "stroke",
            None,
        ),
        "fit bar text": (root.locator("[data-fit=cfi]"), "color", None),
    }
    for what, (fg, prop, under) in checks.items():
        base = background if under is None else _colour(under, "fill", background)
        ratio = _contrast(_colour(fg, prop, base), base)
        assert ratio >= 4.5, f"{what}: contrast {ratio:.1f} < 4.5"

    docs = REPO / "docs"
    docs.mkdir(exist_ok=True)
    page.mouse.move(0, 0)  # no hover or focus ring in the picture
    page.evaluate("document.activeElement && document.activeElement.blur()")
    root.screenshot(path=str(docs / "dark_theme.png"), animations="disabled")

    # suggestions are muted, not invisible: WCAG's 3:1 for graphics, 4.5:1 for their text
    root.locator("[data-action=modindices]").click()
    ghost = root.locator('[data-ghost="visual =~ x9"]')
    ghost.wait_for()
    line = _colour(ghost.locator(".semw-ghost"), "stroke", background)
    assert _contrast(line, background) >= 3, "ghost arrow on the background"
    under = _colour(ghost.locator(".semw-label-bg"), "fill", background)
    text = _colour(ghost.locator(".semw-ghost-label"), "fill", under)
    assert _contrast(text, under) >= 4.5, "ghost label on its box"
