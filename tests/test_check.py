"""The lint and type gate (scripts/check) on a small tree: clean code passes, and each of its three
tools fails the run when what it checks is broken."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("index", "qa", "tui", "evals")  # mypy's `files` in pyproject.toml

CLEAN = '''"""A module the gate accepts."""


def total(values: list[int]) -> int:
    return sum(values)
'''

BROKEN = {
    "lint": CLEAN + "\n\nimport os\n",  # an unused import, after the code
    "format": CLEAN.replace("return sum(values)", "return sum( values )"),
    "types": CLEAN + '\n\ndef caller() -> None:\n    total(["a"])\n',
}
REPORTS = {"lint": "F401", "format": "qa/mod.py", "types": "qa/mod.py:9: error"}


def _tree(root: Path, broken: str | None = None) -> Path:
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    (root / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "check", root / "scripts" / "check")
    for name in PACKAGES:
        (root / name).mkdir()
        (root / name / "__init__.py").write_text("")
        (root / name / "mod.py").write_text(BROKEN[broken] if broken and name == "qa" else CLEAN)
    return root


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(root / "scripts" / "check")],
        env={"PYTHON": sys.executable, "PATH": "/usr/bin:/bin", "HOME": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_clean_tree_passes(tmp_path):
    run = _check(_tree(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_each_tool_fails_the_gate(tmp_path, broken):
    run = _check(_tree(tmp_path, broken))
    assert run.returncode != 0, run.stdout
    assert REPORTS[broken] in run.stdout + run.stderr
    assert "check failed" in run.stderr
