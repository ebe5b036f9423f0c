"""``semwidget lab``: the examples are copied and JupyterLab is started with the right command.

A fake ``jupyterlab`` package, first on the child's PYTHONPATH, stands in for JupyterLab: it
records its arguments and working directory and exits, so the test runs the real console entry
point end to end without a server or a browser.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from semwidget import cli

ROOT = Path(__file__).resolve().parent.parent
FAKE_LAB = """
import json, os, sys
record = os.environ["FAKE_LAB_RECORD"]
with open(record, "w") as f:
    json.dump({"argv": sys.argv[1:], "cwd": os.getcwd()}, f)
sys.exit(int(os.environ.get("FAKE_LAB_STATUS", "0")))
"""


def _run_lab(tmp_path: Path, *args: str, status: int = 0) -> tuple[subprocess.CompletedProcess,
                                                                     dict | None]:
    fake = tmp_path / "fake"
    (fake / "jupyterlab").mkdir(parents=True)
    (fake / "jupyterlab" / "__init__.py").write_text("")
    (fake / "jupyterlab" / "__main__.py").write_text(FAKE_LAB)
    record = tmp_path / "record.json"
    env = dict(os.environ, FAKE_LAB_RECORD=str(record), FAKE_LAB_STATUS=str(status),
               PYTHONPATH=os.pathsep.join([str(fake), str(ROOT)]))
    proc = subprocess.run([sys.executable, "-m", "semwidget", "lab", *args],
                          capture_output=True, text=True, env=env, timeout=60, cwd=tmp_path)
    return proc, (json.loads(record.read_text()) if record.exists() else None)


def test_lab_copies_the_examples_and_starts_jupyterlab_there(tmp_path: Path) -> None:
    proc, seen = _run_lab(tmp_path, "course", "--no-browser", "--port", "8890")
    assert proc.returncode == 0, proc.stderr
    folder = (tmp_path / "course").resolve()
    examples = sorted(p.name for p in (ROOT / "examples").iterdir()
                      if p.suffix in (".ipynb", ".lav"))
    assert sorted(p.name for p in folder.iterdir()) == examples
    assert (folder / "01_quickstart.ipynb").read_bytes() == \
        (ROOT / "examples" / "01_quickstart.ipynb").read_bytes()
    assert seen is not None, proc.stdout + proc.stderr
    assert Path(seen["cwd"]).resolve() == folder
    # the options after the folder reach JupyterLab unchanged, the quickstart opens last
    root = ["--allow-root"] if getattr(os, "geteuid", lambda: 1)() == 0 else []  # Lab refuses root
    assert seen["argv"] == [f"--ServerApp.root_dir={folder}", "--no-browser", "--port", "8890",
                            *root, str(folder / "01_quickstart.ipynb")]
    assert f"{len(examples)} notebook file(s) copied" in proc.stdout


def test_lab_keeps_edited_notebooks_and_passes_on_the_exit_status(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "01_quickstart.ipynb").write_text("my edits")
    proc, seen = _run_lab(tmp_path, "course", "--no-browser", status=3)
    assert proc.returncode == 3
    assert (folder / "01_quickstart.ipynb").read_text() == "my edits"
    assert (folder / "02_classroom_cfa.ipynb").exists()
    assert "kept 1 already there" in proc.stdout
    assert seen is not None and seen["argv"][-1] == str(folder.resolve() / "01_quickstart.ipynb")


def test_lab_default_folder_and_copy_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab", "--copy-only"]) == 0
    assert (tmp_path / "semwidget-examples" / "01_quickstart.ipynb").is_file()
    assert "copied to" in capsys.readouterr().out


def test_lab_refuses_a_file_as_the_folder(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("x")
    assert cli.main(["lab", str(target), "--copy-only"]) == 2
    err = capsys.readouterr().err
    assert "notes.txt" in err and "not a folder" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [["--port", "8890"], ["--port", "8890", "course"],
                                  ["--copy-only", "--ip", "0.0.0.0", "course"]])
def test_lab_refuses_an_option_value_it_could_take_for_the_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab", *args]) == 2
    err = capsys.readouterr().err
    option, value = args[-3:-1] if args[-1] == "course" else args[-2:]
    assert f"'{value}'" in err and f"{option}={value}" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # nothing was copied, no folder named 8890


@pytest.mark.parametrize("args", [["--no-browser=True", "course", "--copy-only"],
                                  ["course", "--port", "8890", "--copy-only"],
                                  ["--copy-only", "course"], ["--", "course"]])
def test_lab_takes_the_folder_where_it_is_unambiguous(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    cli.check_lab_order(args)  # no error
    if "--copy-only" in args and "--" not in args:
        assert cli.main(["lab", *args]) == 0
        assert (tmp_path / "course" / "01_quickstart.ipynb").is_file()


def test_fit_still_refuses_unknown_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["fit", "m.lav", "d.csv", "--no-such-flag"])
    assert exc.value.code == 2
    assert "--no-such-flag" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="signals as on POSIX")
def test_lab_runs_the_real_jupyterlab_and_exits_promptly(tmp_path: Path) -> None:
    pytest.importorskip("jupyterlab")
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The server writes to a file, never a pipe: a pipe nobody drains once the URL is read
    # would block the server's next log line, and with it its SIGTERM handler (which logs).
    # PYTHONFAULTHANDLER lets a hung server say where it hangs (SIGABRT prints every thread).
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONFAULTHANDLER="1",
               JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"), JUPYTER_DATA_DIR=str(tmp_path / "data"))
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "semwidget", "lab", str(tmp_path / "course"), "--no-browser",
             f"--port={port}", "--ip=127.0.0.1", "--ServerApp.port_retries=0"],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        url = f"http://127.0.0.1:{port}/api"  # answers without a token once the server is up
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        seen = log.read_text(errors="replace")
        assert proc.poll() is None and f"127.0.0.1:{port}/lab" in seen, seen[-3000:]
        assert "01_quickstart.ipynb" in seen
        start = time.monotonic()
        proc.send_signal(signal.SIGTERM)  # the process is JupyterLab itself (exec)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)
            proc.wait(timeout=30)
            pytest.fail("JupyterLab did not exit within 30 s of SIGTERM; its last output and "
                        "threads:\n" + log.read_text(errors="replace")[-6000:])
        assert time.monotonic() - start < 30
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (tmp_path / "course" / "01_quickstart.ipynb").is_file()
