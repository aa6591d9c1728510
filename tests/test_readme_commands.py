"""README.md's command reference is the CLI's own help (scripts/command_reference.py writes it):
the check passes on the README as committed and fails once the two differ."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "command_reference.py"


def _check(readme) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--readme", str(readme)], capture_output=True, text=True, cwd=REPO
    )


def test_the_readme_command_reference_matches_the_cli():
    run = _check(REPO / "README.md")
    assert run.returncode == 0, run.stderr


def test_the_check_fails_when_the_readme_drifts(tmp_path):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("newsqa stats "))
    drifted = tmp_path / "README.md"
    drifted.write_text(text.replace(line, line.replace(" [--json]", "")), encoding="utf-8")
    run = _check(drifted)
    assert run.returncode == 1
    assert "out of date" in run.stderr
    assert drifted.read_text(encoding="utf-8") != text  # --check never rewrites
