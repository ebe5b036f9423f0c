"""MkDocs hooks of the documentation site (see mkdocs.yml).

- the example notebooks in ``examples/`` become pages ``examples/*.ipynb`` (executed by
  mkdocs-jupyter where nbval runs them, in ``examples/``);
- each notebook runs in its own folder (the guide pages in ``docs/guide``);
- the kernels that execute notebooks get ``static_widget.py`` as an IPython start-up file, so
  a displayed widget is a static SVG;
- after the build every ``href`` and ``src`` of the HTML that points inside the site must name
  a file of the site: a broken local link fails the build (no network is used).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"


_IPYTHON_DIRS: list[Path] = []


def on_config(config, **kwargs):
    """Give the notebook kernels the start-up file (in a fresh IPython folder, outside git)."""
    ipython_dir = Path(tempfile.mkdtemp(prefix="semwidget-docs-ipython-"))
    _IPYTHON_DIRS.append(ipython_dir)
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    shutil.copy(HERE / "static_widget.py", startup / "00_static_widget.py")
    os.environ["IPYTHONDIR"] = str(ipython_dir)
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    add_unlisted_notebooks(config["nav"])
    return config


def add_unlisted_notebooks(nav: list) -> None:
    """Append every ``examples/*.ipynb`` the nav's Notebooks section lacks (titled by its
    first heading), so a new notebook is on the site without editing mkdocs.yml."""
    section = next(item["Notebooks"] for item in nav
                   if isinstance(item, dict) and "Notebooks" in item)
    listed = {path for entry in section for path in entry.values()}
    for notebook in sorted(EXAMPLES.glob("*.ipynb")):
        path = f"examples/{notebook.name}"
        if path not in listed:
            section.append({_notebook_title(notebook): path})


def _notebook_title(notebook: Path) -> str:
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return notebook.stem.replace("_", " ")


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns notebooks into pages
def on_files(files, config, **kwargs):
    """Add ``examples/*.ipynb`` (outside ``docs/``) as pages of the site."""
    for notebook in sorted(EXAMPLES.glob("*.ipynb")):
        files.append(File(f"examples/{notebook.name}", src_dir=str(ROOT),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    return files


_CWD: list[str] = []
#: A Sphinx role left in a numpy docstring (``:func:`x` ``), as Markdown renders it.
_ROLE = re.compile(
    r":(?:func|class|meth|mod|attr|data|obj|exc):(<code>)~?(?:[\w.]+\.)?([^<]*)</code>")


def on_page_content(html, page, config, files, **kwargs):
    """Show ``:func:`semwidget.parse` `` from the docstrings as code, without the role."""
    return _ROLE.sub(lambda m: f"{m.group(1)}{m.group(2)}</code>"
                     if "~" in m.group(0) else m.group(0).split(":", 2)[2], html)


def on_pre_page(page, config, files, **kwargs):
    """Run a notebook page's kernel in the page's folder, as Jupyter and nbval do."""
    if page.file.src_uri.endswith((".ipynb", ".py")):
        _CWD.append(os.getcwd())
        os.chdir(Path(page.file.abs_src_path).parent)
    return page


def on_post_page(output, page, config, **kwargs):
    """Back to the folder the build started in."""
    if page.file.src_uri.endswith((".ipynb", ".py")) and _CWD:
        os.chdir(_CWD.pop())
    return output


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append(value)


def local_target(site: Path, page: Path, link: str) -> Path | None:
    """The file a local link names, or None for a link that leaves the site or the page."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None  # another site (not checked: no network), mailto:, data:, or "#anchor"
    path = unquote(parts.path)
    target = (site / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def on_post_build(config, **kwargs):
    """Fail the build on a local link or image that names no file of the built site."""
    site = Path(config["site_dir"]).resolve()
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = local_target(site, page, link)
            if target is not None and not target.resolve().is_file():
                broken.append(f"{page.relative_to(site)}: {link}")
    if broken:
        shown = "\n  ".join(broken[:40])
        raise PluginError(f"{len(broken)} broken local link(s) in the built site:\n  {shown}")


def on_shutdown(**kwargs):
    """Remove the IPython folders the build made."""
    while _IPYTHON_DIRS:
        shutil.rmtree(_IPYTHON_DIRS.pop(), ignore_errors=True)
