"""newsqa as users install it: the wheel built from the tracked files of this tree, installed into
a fresh venv outside the checkout, answers `newsqa --version`, ingests the bundled seeds with
`newsqa ingest`, answers `newsqa ask` from another directory, and `newsqa chat` answers in a real
terminal (tmux, when installed).

Kept cheap: the wheel goes in with --no-deps and its dependencies come from this interpreter's
site-packages through a folder of links named in a path file, without newsqa's own editable
install, so nothing is downloaded and newsqa itself can only come from the wheel (asserted).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import uuid
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow

PACKAGES = ("index", "qa", "tui", "evals")
QUESTION = "What are Putin's conditions for a ceasefire?"


def _tracked(root: Path) -> list[str]:
    """The tree's files as a fresh clone has them (tracked, plus what this change adds)."""
    if (root / ".git").exists():
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return [line for line in out.splitlines() if (root / line).is_file()]
    skip = {".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", "build", "dist"}
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not skip & set(p.parts)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in _tracked(REPO):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("newsqa-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    site = Path(sysconfig.get_paths()["purelib"])
    deps = root / "deps"
    deps.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("__editable__", "newsqa")) or name in PACKAGES or name.endswith(".pth"):
            continue
        (deps / entry.name).symlink_to(entry)
    py = root / "bin" / "python"
    new_site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (new_site / "deps.pth").write_text(f"{deps}\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    return root


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEWSQA_", "PYTHON"))}
    env.update(
        NEWSQA_STORE=str(tmp_path / "store"),
        NEWSQA_DATA_DIR=str(tmp_path / "data"),
        NEWSQA_CACHE_DIR=str(tmp_path / "cache"),
        TERM="xterm-256color",
    )
    return env


def _newsqa(venv: Path, cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run(
        [str(venv / "bin" / "newsqa"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr
    return run


def test_the_wheel_holds_every_module_and_data_file_of_the_tree(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {n for n in _tracked(REPO) if n.split("/")[0] in PACKAGES}
    wanted |= {f"qa/{n}" for n in _tracked(REPO) if n.startswith("seeds/")}
    assert wanted - names == set()
    assert any(n.startswith("qa/seeds/") for n in names)


def test_installed_newsqa_ingests_and_answers_from_anywhere(venv, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _env(tmp_path)
    where = _newsqa_python(venv, elsewhere, env, "import qa; print(qa.__file__)")
    assert where.startswith(str(venv)), where  # the wheel's copy, not the checkout's
    version = _newsqa(venv, elsewhere, env, "--version").stdout
    assert re.fullmatch(r"newsqa \d+\.\d+\.\d+\S*\n", version), version
    ingested = _newsqa(venv, elsewhere, env, "ingest").stdout
    assert "1 added" in ingested, ingested
    answer = json.loads(_newsqa(venv, elsewhere, env, "ask", QUESTION, "--json").stdout)
    assert answer["citations"] and answer["citations"][0]["published_at"].startswith("2025-03-19")


def _newsqa_python(venv: Path, cwd: Path, env: dict[str, str], code: str) -> str:
    run = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_installed_newsqa_chat_answers_in_a_terminal(venv, tmp_path):
    from tests.tui.test_tmux import alive, tmux, wait_screen

    env = _env(tmp_path)
    _newsqa(venv, tmp_path, env, "ingest")
    session = f"newsqa-wheel-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("NEWSQA_") or k == "TERM")
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "36",
        "-c",
        str(tmp_path),
        f"env -u PYTHONPATH {exports} {venv / 'bin' / 'newsqa'} chat",
    )
    try:
        wait_screen(session, lambda s: re.search(r"\d+ chunks", s) is not None, "the store to load")
        tmux("send-keys", "-t", session, "-l", QUESTION)
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_screen(session, lambda s: "[1]" in s and "source" in s, "a cited answer")
        assert "Putin" in screen
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and alive(session):
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
