"""Fixtures for the real-browser tests: a JupyterLab server and a Chromium page.

The tests carry the ``browser`` marker: ``pytest -m browser`` runs only them and
``pytest -m "not browser"`` leaves them out (a plain ``pytest`` runs them, in about 40 s). They
are skipped, with the reason, only when Debian's Chromium is not installed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lab_server import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Chromium against a real JupyterLab (run with -m browser)"
    )


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package `chromium`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
