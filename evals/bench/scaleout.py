"""Scale-out: the query benchmark against a `chroma run` server on 127.0.0.1, one client alone
and then several at once (separate processes, as separate users would be).

Each client opens and warms its own ``NewsQA`` on the server, waits at a start line (a file),
then asks its questions (extractive) back to back. Throughput is answers per second of wall time
from the start line to the last answer. The clients choose their embedding threads themselves
(``NEWSQA_EMBED_THREADS`` unset); the N clients run again with a fixed 2 threads each, the
setting that oversubscribed the cores before, for the ratio of the two.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from evals.bench.chroma_server import chroma_server
from evals.bench.measure import emit, latency_summary


def bench_scaleout(store: Path, questions: list[str], workdir: Path, clients: int, per_client: int) -> dict:
    served = workdir / "scaleout-store"
    if served.exists():
        shutil.rmtree(served)
    shutil.copytree(store, served, ignore=shutil.ignore_patterns("lexical", "newsqa.lock"))
    qfile = workdir / "scaleout-questions.json"
    qfile.write_text(json.dumps(questions))
    out: dict[str, Any] = {}
    many, fixed = f"clients_{clients}", f"clients_{clients}_fixed2"
    with chroma_server(served) as url:
        for label, n, threads in (("alone", 1, None), (many, clients, None), (fixed, clients, "2")):
            out[label] = _round(url, workdir / f"scaleout-{label}", qfile, n, per_client, threads)
    out["clients"] = clients
    out["throughput_ratio"] = round(out[many]["throughput_qps"] / out["alone"]["throughput_qps"], 3)
    out["auto_over_fixed2"] = round(out[many]["throughput_qps"] / out[fixed]["throughput_qps"], 3)
    return out


def _round(url: str, rundir: Path, qfile: Path, n: int, per_client: int, threads: str | None) -> dict:
    rundir.mkdir(parents=True, exist_ok=True)
    go = rundir / "go"
    env = {k: v for k, v in os.environ.items() if k != "NEWSQA_EMBED_THREADS"}
    if threads is not None:
        env["NEWSQA_EMBED_THREADS"] = threads
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", __name__, url, str(rundir), str(i), str(qfile), str(per_client)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(n)
    ]
    try:
        deadline = time.monotonic() + 600
        while len(list(rundir.glob("ready-*"))) < n:
            if any(p.poll() not in (None, 0) for p in procs) or time.monotonic() > deadline:
                raise RuntimeError("a scale-out client failed to start: " + _stderr_tail(procs))
            time.sleep(0.05)
        start = time.time()
        go.write_text(str(start))
        results = []
        for p in procs:
            stdout, stderr = p.communicate(timeout=3600)
            if p.returncode != 0:
                raise RuntimeError(f"a scale-out client failed: {(stderr.strip().splitlines() or ['?'])[-1]}")
            results.append(json.loads(stdout.strip().splitlines()[-1]))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    asks = [t for r in results for t in r["ask"]]
    retrieves = [t for r in results for t in r["retrieve"]]
    wall = max(r["end"] for r in results) - start
    return {
        "answers": len(asks),
        "wall_s": round(wall, 3),
        "throughput_qps": round(len(asks) / wall, 3),
        "ask": latency_summary(asks),
        "retrieve": latency_summary(retrieves),
    }


def _stderr_tail(procs) -> str:
    for p in procs:
        if p.poll() not in (None, 0):
            err = p.stderr.read() if p.stderr else ""
            return (err.strip().splitlines() or ["?"])[-1]
    return "timed out"


def _client(url: str, rundir: Path, ident: int, qfile: Path, per_client: int) -> dict:
    from evals.bench.queries import open_app
    from index.settings import Settings

    questions = json.loads(qfile.read_text())
    shift = (ident * per_client) % len(questions)
    mine = (questions[shift:] + questions[:shift]) * (1 + per_client // max(len(questions), 1))
    mine = mine[:per_client]
    settings = Settings(
        chroma_url=url,
        store=None,
        data_dir=rundir / f"data-{ident}",
        cache_dir=rundir / f"cache-{ident}",
        engine="extractive",
    )
    app = open_app(settings)
    app.ask("warm up the answer engine", engine="extractive")
    (rundir / f"ready-{ident}").write_text("")
    while not (rundir / "go").exists():
        time.sleep(0.01)
    asks, retrieves = [], []
    try:
        for q in mine:
            t0 = time.perf_counter()
            answer = app.ask(q, engine="extractive")
            asks.append(time.perf_counter() - t0)
            retrieves.append(answer.timings_ms["retrieve"] / 1000)
    finally:
        app.close()
    return {"ask": asks, "retrieve": retrieves, "end": time.time()}


if __name__ == "__main__":
    emit(_client(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])))
