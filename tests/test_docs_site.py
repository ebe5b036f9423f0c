"""The documentation site's configuration and its local link check (the build runs in .ci/run)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _hooks():
    pytest.importorskip("mkdocs")
    spec = importlib.util.spec_from_file_location("site_hooks", DOCS / "_site_build" / "hooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nav_targets() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text()
    nav = text[text.index("\nnav:"):]
    return re.findall(r":\s+([\w/.-]+\.(?:md|py|ipynb))\s*$", nav, flags=re.M)


def test_every_page_and_notebook_is_in_the_nav() -> None:
    targets = _nav_targets()
    for target in targets:
        base = ROOT if target.startswith("examples/") else DOCS
        assert (base / target).is_file(), target
    guides = {f"guide/{p.name}" for p in (DOCS / "guide").glob("*.py") if p.name != "golden.py"}
    assert guides <= set(targets), sorted(guides - set(targets))
    assert len(guides) == 10


def test_a_notebook_missing_from_the_nav_is_added_with_its_title() -> None:
    hooks = _hooks()
    nav = [{"Home": "index.md"}, {"Notebooks": [{"Quickstart": "examples/01_quickstart.ipynb"}]}]
    hooks.add_unlisted_notebooks(nav)
    section = nav[1]["Notebooks"]
    paths = [path for entry in section for path in entry.values()]
    notebooks = sorted(f"examples/{p.name}" for p in (ROOT / "examples").glob("*.ipynb"))
    assert sorted(paths) == notebooks and paths[0] == "examples/01_quickstart.ipynb"
    assert all(title and not title.startswith("#") for entry in section for title in entry)


def test_link_check_fails_on_a_missing_local_target(tmp_path: Path) -> None:
    hooks = _hooks()
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.html").write_text("ok")
    (tmp_path / "style.css").write_text("")
    (tmp_path / "index.html").write_text(
        '<a href="guide/">g</a><a href="#top">t</a><a href="https://example.org/x">e</a>'
        '<link href="style.css"><a href="mailto:a@b.c">m</a><img src="data:image/png;base64,">')
    hooks.on_post_build({"site_dir": str(tmp_path)})  # every local link resolves
    (tmp_path / "guide" / "index.html").write_text('<a href="../api/fit/#x">a</a>'
                                                   '<img src="../missing.png">')
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"2 broken local link\(s\)") as err:
        hooks.on_post_build({"site_dir": str(tmp_path)})
    assert "guide/index.html: ../missing.png" in str(err.value)


def test_sphinx_roles_in_docstrings_render_as_code() -> None:
    hooks = _hooks()
    html = (":func:<code>semwidget.parse</code> and :class:<code>~semwidget.cb.result.CBResult"
            "</code> and :meth:<code>to_dict</code>")
    assert hooks.on_page_content(html, None, None, None) == \
        "<code>semwidget.parse</code> and <code>CBResult</code> and <code>to_dict</code>"
