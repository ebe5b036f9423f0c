"""Screenshots of the built site in real Chromium: docs/site_api.png, docs/site_guide*.png.

Run after ``mkdocs build`` from the repository root::

    python docs/_site_build/screenshots.py [--chromium PATH]

The site is served from ``build/site`` on a free loopback port for the duration of the run.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent.parent
SITE = ROOT / "build" / "site"
#: file name: (page, viewport height, CSS selector scrolled to the top of the view or None)
SHOTS = {
    "site_api.png": ("api/fit/", 1500, None),
    "site_guide.png": ("guide/cfa_fit_table/", 1500, None),
    "site_guide_widget.png": ("guide/draw_a_model/", 1100, ".jp-RenderedSVG"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not (SITE / "index.html").is_file():
        raise SystemExit(f"no built site in {SITE}: run `mkdocs build` first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium,
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, (path, height, selector) in SHOTS.items():
                page.goto(base + path, wait_until="networkidle", timeout=60_000)
                page.set_viewport_size({"width": 1280, "height": height})
                if selector:
                    page.locator(selector).first.evaluate(
                        "e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 260)")
                page.wait_for_timeout(300)
                page.screenshot(path=str(ROOT / "docs" / name))
                print("wrote", ROOT / "docs" / name)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
