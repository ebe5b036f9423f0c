"""A real JupyterLab server on localhost and a Chromium page driving it (Playwright).

Used by the browser tests and by ``benchmarks/bench_widget.py``. The server runs from the same
Python as the caller (the project's venv), in a temporary root directory, with its own settings,
workspace and runtime directories so it neither reads nor changes the user's Jupyter setup.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# JupyterLab's news and update checks would reach the network and pop a toast over the page.
_LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
        "doNotDisturbMode": True,
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def notebook(cells: list[str]) -> dict[str, Any]:
    """A notebook (nbformat 4) with one code cell per source string, on the python3 kernel."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell-{index}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
            for index, source in enumerate(cells)
        ],
    }


class JupyterLab:
    """Start ``jupyter lab`` on a free port with a random token; stop it on exit.

    Examples
    --------
    >>> with JupyterLab() as lab:  # doctest: +SKIP
    ...     lab.write_notebook("NB.ipynb", ["1 + 1"])
    ...     page.goto(lab.url("lab/tree/NB.ipynb"))
    """

    def __init__(self, startup_timeout: float = 90.0, app: str = "jupyterlab") -> None:
        self.app = app  # "jupyterlab", or "notebook" for Notebook 7
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self._base = Path(tempfile.mkdtemp(prefix="semwidget-lab-"))
        self.root = self._base / "root"
        self.root.mkdir()
        self._startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log = self._base / "server.log"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        settings = self._base / "settings"
        for name, content in _LAB_SETTINGS.items():
            plugin, file_name = name.rsplit("/", 1)
            folder = settings / plugin
            folder.mkdir(parents=True, exist_ok=True)
            (folder / file_name).write_text(json.dumps(content), encoding="utf-8")
        env.update(
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(self._base / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(self._base / "runtime"),
            JUPYTER_CONFIG_DIR=str(self._base / "config"),
            # The kernel imports this checkout even when semwidget is not installed yet.
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        return env

    def start(self) -> JupyterLab:
        command = [
            sys.executable, "-m", self.app, "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={self.port}", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.port_retries=0",
        ]  # fmt: skip
        log = self._log.open("wb")
        self._process = subprocess.Popen(
            command, env=self._environment(), stdout=log, stderr=subprocess.STDOUT, cwd=self.root
        )
        deadline = time.monotonic() + self._startup_timeout
        status = f"http://127.0.0.1:{self.port}/api/status?token={self.token}"
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(status, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"jupyter lab did not start in {self._startup_timeout} s")

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's log (for failure messages)."""
        if not self._log.exists():
            return ""
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])

    def url(self, path: str) -> str:
        """The address of ``path`` on the server, with the token."""
        separator = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}{separator}token={self.token}"

    def write_notebook(self, name: str, cells: list[str]) -> Path:
        """Write a notebook with these code cells into the server's root directory."""
        path = self.root / name
        path.write_text(json.dumps(notebook(cells), indent=1), encoding="utf-8")
        return path

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        shutil.rmtree(self._base, ignore_errors=True)

    def __enter__(self) -> JupyterLab:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class NotebookPage:
    """Drive an open notebook in JupyterLab: run cells, read outputs."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def open(self, url: str, timeout: float = 60_000) -> None:
        """Open the notebook and accept the kernel dialog if JupyterLab asks."""
        page = self.page
        page.goto(url)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=timeout)
        accept = page.locator(".jp-Dialog .jp-mod-accept")
        try:
            accept.wait_for(state="visible", timeout=10_000)
            accept.click()
        except Exception:  # noqa: BLE001 - the dialog only appears when no kernel was chosen
            pass
        # The kernel is ready when the toolbar's status says idle.
        page.wait_for_function(
            "() => !!document.querySelector('.jp-Notebook') && "
            "[...document.querySelectorAll('[data-status]')].some(e => "
            "e.getAttribute('data-status') === 'idle')",
            timeout=timeout,
        )

    def cell(self, index: int) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index)

    def run(self, index: int) -> None:
        """Run code cell ``index`` (click into its editor, Shift+Enter)."""
        cell = self.cell(index)
        cell.locator(".cm-content").click()
        self.page.keyboard.press("Shift+Enter")

    def run_until(self, index: int, marker: str, expected: list[str], timeout: float = 15.0) -> str:
        """Run cell ``index`` until its output has every string of ``expected``; return it.

        The view sends edits as comm messages; ipykernel may run a cell while the last one is
        still being handled, so one run can see the state of a moment before.
        """
        deadline = time.monotonic() + timeout
        while True:
            self.run(index)
            text = self.output_text(index, marker)
            if all(item in text for item in expected) or time.monotonic() > deadline:
                return text
            self.page.wait_for_timeout(300)

    def output_text(self, index: int, contains: str, timeout: float = 30_000) -> str:
        """Wait until cell ``index`` shows an output containing ``contains``; return all of it."""
        output = self.cell(index).locator(".jp-OutputArea-output")
        output.filter(has_text=contains).first.wait_for(timeout=timeout)
        return "\n".join(output.all_inner_texts())


@contextmanager
def open_notebook(chromium: Any, name: str, cells: list[str], app: str = "jupyterlab"
                  ) -> Iterator[NotebookPage]:
    """Start JupyterLab (or Notebook 7 with ``app="notebook"``), write ``cells`` as notebook
    ``name`` and open it in a new page.

    The server's log tail is printed when the block fails, to show kernel-side errors.
    """
    with JupyterLab(app=app) as lab:
        lab.write_notebook(name, cells)
        context = chromium.new_context(
            viewport={"width": 1500, "height": 1100}, device_scale_factor=2
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        nb = NotebookPage(page)
        try:
            nb.open(lab.url(f"lab/tree/{name}" if app == "jupyterlab" else f"notebooks/{name}"))
            yield nb
        except Exception:
            print(lab.log_tail())
            raise
        finally:
            context.close()
