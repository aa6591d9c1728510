"""`newsqa bench`: the benchmark command (plugged into the CLI by entry point)."""

from __future__ import annotations

import argparse
from pathlib import Path

SECTIONS = ("ingest", "extraction", "queries", "peers", "growth", "coldstart", "scaleout")


def register(sub, common: argparse.ArgumentParser | None = None) -> None:
    p = sub.add_parser(
        "bench",
        help="measure ingest, answering (against peers), growth, cold start and scale-out; write bench.json",
        description="Benchmarks of ingest and answering. Prints a table of figures against their "
        "goals and writes OUT/bench.json. Uses ../shared's MultiHop-RAG corpus when "
        "present, else a synthetic corpus (and says so).",
    )
    p.add_argument("--corpus", type=Path, metavar="DIR", help="articles (default: ../shared MultiHop-RAG corpus)")
    p.add_argument("--dataset", type=Path, metavar="FILE", help="questions JSONL (default: its dev.jsonl)")
    p.add_argument("--synthetic", action="store_true", help="use a synthetic corpus even when ../shared exists")
    p.add_argument("--out", type=Path, metavar="DIR", help="where bench.json goes (default: CACHE/bench)")
    p.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not a measurement")
    p.add_argument("--skip", default="", metavar="LIST", help=f"leave out: {','.join(SECTIONS)}")
    p.add_argument("--questions", type=int, metavar="N", help="questions timed warm (100; quick 6)")
    p.add_argument(
        "--peer-questions",
        type=int,
        metavar="N",
        help="questions for the peer comparison (all of the dataset; quick 6)",
    )
    p.add_argument("--repeat", type=int, metavar="N", help="whole-ingest runs between raw-embed runs (1)")
    p.add_argument("--scale", metavar="LIST", help="growth points in chunks (10000,100000,300000)")
    p.add_argument(
        "--lexical-scale",
        type=int,
        metavar="N",
        help="chunks for the lexical index measured alone (1000000; quick 3000; 0 leaves it out)",
    )
    p.add_argument("--clients", type=int, metavar="N", help="concurrent scale-out clients (8; quick 2)")
    p.add_argument("--per-client", type=int, metavar="N", help="questions per scale-out client (20; quick 2)")
    p.add_argument("--runs", type=int, metavar="N", help="fresh-process cold-start runs (5; quick 2)")
    p.add_argument("--workdir", type=Path, metavar="DIR", help="scratch dir, kept (default: temp, removed)")
    p.set_defaults(func=run)


def run(args, settings) -> int:
    from evals.bench.suite import BenchOptions, run_bench
    from index.errors import InputError

    skip = {s.strip() for s in (args.skip or "").split(",") if s.strip()}
    unknown = skip - set(SECTIONS)
    if unknown:
        raise InputError(f"--skip: unknown section {sorted(unknown)[0]!r} (known: {', '.join(SECTIONS)})")
    quick = bool(args.quick)
    try:
        scales = [int(x) for x in (args.scale or ("300,1200" if quick else "10000,100000,300000")).split(",")]
    except ValueError:
        raise InputError(f"--scale: not a comma-separated list of chunk counts: {args.scale!r}") from None
    for name in ("questions", "peer_questions", "repeat", "clients", "per_client", "runs"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise InputError(f"--{name.replace('_', '-')} must be at least 1, not {value}")
    if any(s < 1 for s in scales):
        raise InputError(f"--scale: chunk counts must be positive: {args.scale!r}")
    for flag, path in (("--corpus", args.corpus), ("--dataset", args.dataset)):
        if path is not None and not path.exists():
            raise InputError(f"{flag}: {path} does not exist")
    options = BenchOptions(
        corpus=args.corpus,
        synthetic=bool(args.synthetic),
        dataset=args.dataset,
        out=args.out or settings.cache_dir / "bench",
        quick=quick,
        skip=frozenset(skip),
        questions=args.questions or (6 if quick else 100),
        peer_questions=args.peer_questions or (6 if quick else None),
        repeat=args.repeat or 1,
        scales=scales,
        lexical_scale=(3000 if quick else 1_000_000) if args.lexical_scale is None else args.lexical_scale,
        clients=args.clients or (2 if quick else 8),
        per_client=args.per_client or (2 if quick else 20),
        runs=args.runs or (2 if quick else 5),
        workdir=args.workdir,
    )
    return run_bench(options, settings)
