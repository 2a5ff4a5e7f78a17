"""Shared helpers: the CLI binary the package is compared with, and the repository's files.

The CLI is `ZONEVAL_BIN` when set, else the workspace's release or debug build (the newest).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _cli_path() -> Path:
    env = os.environ.get("ZONEVAL_BIN")
    if env:
        return Path(env)
    found = [p for p in (ROOT / "target/release/zoneval", ROOT / "target/debug/zoneval") if p.exists()]
    if not found:
        pytest.exit("no zoneval binary: run `cargo build` first or set ZONEVAL_BIN", returncode=2)
    return max(found, key=lambda p: p.stat().st_mtime)


CLI = _cli_path()

#: English messages, as the package's default; no inherited thread or language settings.
ENV = {k: v for k, v in os.environ.items() if k not in ("ZONEVAL_LANG", "LC_ALL", "LANG", "RAYON_NUM_THREADS")}
ENV["LANG"] = "C"
os.environ.pop("ZONEVAL_LANG", None)
os.environ.pop("LC_ALL", None)
os.environ["LANG"] = "C"


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the CLI from the repository root; returns the completed process (bytes)."""
    p = subprocess.run([str(CLI), *args], cwd=ROOT, env=ENV, capture_output=True)
    if check and p.returncode != 0:
        raise AssertionError(f"zoneval {' '.join(args)} failed ({p.returncode}): {p.stderr.decode()}")
    return p


def cli_json(*args: str) -> dict:
    return json.loads(run_cli(*args).stdout)


def cli_errors(*args: str) -> tuple[int, str]:
    """The exit code and the error lines without the CLI's `error: ` prefix."""
    p = run_cli(*args, check=False)
    lines = [l[len("error: "):] for l in p.stderr.decode().splitlines() if l.startswith("error: ")]
    return p.returncode, "\n".join(lines)


def run_python(code: str, threads: int) -> str:
    """Runs `code` in a fresh interpreter with RAYON_NUM_THREADS=threads; returns stdout."""
    env = dict(ENV, RAYON_NUM_THREADS=str(threads), PYTHONWARNINGS="ignore")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    """Relative paths resolve as for the CLI runs (from the repository root)."""
    monkeypatch.chdir(ROOT)
