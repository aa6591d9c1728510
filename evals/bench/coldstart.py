"""Cold start: ``newsqa ask ... --json`` as a fresh process, and the chat's first paint.

The ask runs against a small store with an empty embedding cache each time, so the model loads
as it would for a new question. Each ask is paired with a run of its floor, a fresh process that
only imports chromadb and loads the model (embedding one text): the ratio of the two medians is
what newsqa adds to start-up. ``-X importtime`` of one run names the slowest imports.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIRST_PAINT_SCRIPT = REPO / "scripts" / "measure_first_paint.py"
QUESTION = "What did the council decide about the budget?"


def _env(store: Path, cache: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSQA_", "OPENAI_"))}
    env.update(
        NEWSQA_STORE=str(store), NEWSQA_CACHE_DIR=str(cache), NEWSQA_DATA_DIR=str(data), NEWSQA_ENGINE="extractive"
    )
    return env


def _ask_command() -> list[str]:
    script = Path(sys.executable).parent / "newsqa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "qa.cli"]


FLOOR = (
    "import chromadb\n"
    "from index.embedding.minilm import MiniLMEmbedder\n"
    "from index.settings import Settings\n"
    "MiniLMEmbedder(threads=Settings().embed_threads).embed(['What did the council decide?'])\n"
)


def time_floor(workdir: Path) -> float:
    """Seconds of a fresh process that imports chromadb and loads the model: cold ask's floor."""
    env = _env(workdir / "floor-store", workdir / "floor-cache", workdir / "cold-data")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", FLOOR], check=False, env=env, capture_output=True, text=True, cwd=REPO)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"cold-start floor failed: {(proc.stderr.strip().splitlines() or ['no output'])[-1]}")
    return seconds


def time_ask(store: Path, workdir: Path, runs: int, floors: list[float] | None = None) -> list[float]:
    """Fresh-process ``newsqa ask`` times; with ``floors``, a floor run before each ask is added to it."""
    times = []
    for i in range(runs):
        if floors is not None:
            floors.append(time_floor(workdir))
        env = _env(store, workdir / f"cold-cache-{i}", workdir / "cold-data")
        t0 = time.perf_counter()
        proc = subprocess.run([*_ask_command(), "ask", QUESTION, "--json"], env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"newsqa ask failed ({proc.returncode}): {tail}")
    return times


def slowest_imports(store: Path, workdir: Path, top: int = 8) -> list[dict]:
    """Top-level packages by cumulative import time in one ``newsqa ask`` run."""
    env = _env(store, workdir / "cold-cache-importtime", workdir / "cold-data")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "qa.cli", "ask", QUESTION, "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    per_package: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if m and len(m.group(2)) == 1:  # a top-level import (not nested in another)
            pkg = m.group(3).split(".")[0]
            per_package[pkg] = per_package.get(pkg, 0) + int(m.group(1))
    ranked = sorted(per_package.items(), key=lambda kv: -kv[1])[:top]
    return [{"package": k, "ms": round(v / 1000, 1)} for k, v in ranked]


def first_paint(store: Path, runs: int) -> float | None:
    """Median seconds to the chat's first paint, by the TUI's own script; None when it is absent."""
    if not FIRST_PAINT_SCRIPT.is_file():
        return None
    proc = subprocess.run(
        [sys.executable, str(FIRST_PAINT_SCRIPT), "--runs", str(runs), "--store", str(store)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )
    m = re.search(r"median ([0-9.]+) s", proc.stdout)
    return float(m.group(1)) if m else None


def bench_coldstart(store: Path, workdir: Path, runs: int) -> dict:
    floors: list[float] = []
    asks = time_ask(store, workdir, runs, floors)
    paint = first_paint(store, runs)
    ask, floor = statistics.median(asks), statistics.median(floors)
    return {
        "runs": runs,
        "ask_s": round(ask, 3),
        "ask_runs_s": [round(t, 3) for t in asks],
        "floor_s": round(floor, 3),
        "floor_runs_s": [round(t, 3) for t in floors],
        "ask_over_floor": round(ask / floor, 3),
        "first_paint_s": None if paint is None else round(paint, 3),
        "slowest_imports": slowest_imports(store, workdir),
    }
