"""`newsqa ask` starts cold without the ingest side's libraries: a real question on a real store,
answered in a fresh process, must not import an extractor or format reader (they cost start-up
time and ask never reads a page)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

# What only loading files and pages needs (index/loaders, index/web).
INGEST_ONLY = ("trafilatura", "htmldate", "justext", "courlan", "feedparser", "pypdf", "warcio", "charset_normalizer")

_RUN = """
import json, sys
from qa.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\n" + json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def _ask_modules(question: str, preload: str = "") -> tuple[dict, dict]:
    run = subprocess.run(
        [sys.executable, "-c", preload + _RUN, "ask", question, "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    answer, _, tail = run.stdout.rstrip().rpartition("\n")
    return json.loads(answer), json.loads(tail)


def test_ask_imports_no_extractor_or_format_reader(seed_settings):
    answer, seen = _ask_modules("What did the central bank decide about interest rates?")
    assert seen["code"] == 0
    assert answer["answer"]  # the question really went through retrieval and an engine
    assert "chromadb" in seen["modules"]  # the store was opened: this was the real ask path
    assert [m for m in INGEST_ONLY if m in seen["modules"]] == []


def test_the_check_sees_an_extractor_on_the_ask_path(seed_settings):
    # Were ask to pull trafilatura in, the probe above would name it.
    _, seen = _ask_modules("What did the central bank decide about interest rates?", preload="import trafilatura\n")
    assert "trafilatura" in seen["modules"]
