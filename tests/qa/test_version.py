"""`newsqa --version` reads the installed package's metadata (tests/test_wheel.py checks it from a
wheel installed outside the checkout)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

import pytest


def test_version_is_the_package_metadata():
    try:
        expected = version("newsqa")
    except PackageNotFoundError:
        pytest.skip("newsqa is not installed in this interpreter (a bare source tree)")
    run = subprocess.run([sys.executable, "-m", "qa.cli", "--version"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"newsqa {expected}\n"
