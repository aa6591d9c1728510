"""`newsqa eval`: run a question set through newsqa, score it, write a report, gate on floors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("eval", parents=[common], help="measure how grounded newsqa's answers are on a question set")
    p.add_argument("--dataset", type=Path, help="questions as JSONL (schema: docs/evals.md)")
    p.add_argument(
        "--pages",
        type=Path,
        metavar="DIR",
        help="instead: score HTML extraction on saved pages with true bodies (docs/extraction.md)",
    )
    p.add_argument("--claims", type=Path, help="measure the citation check on claims as JSONL instead (docs/evals.md)")
    p.add_argument(
        "--followups",
        type=Path,
        metavar="FILE",
        help="instead: measure follow-up rewriting on conversations as JSONL (evals/followups.py)",
    )
    p.add_argument("--corpus", type=Path, help="ingest this corpus into an evaluation store of its own (cached)")
    p.add_argument("--engine", choices=["extractive", "openai"], help="answer engine (env NEWSQA_ENGINE)")
    p.add_argument("--model", help="chat model for the openai engine and the llm judge (env NEWSQA_MODEL)")
    p.add_argument(
        "--judge", choices=["offline", "llm"], default="offline", help="who checks support (default offline)"
    )
    p.add_argument("--limit", type=int, help="only the first N questions")
    p.add_argument("--out", type=Path, help="write metrics.json, results.jsonl, report.md and plots here")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        help="exit 3 if METRIC < VALUE (repeatable)",
    )
    p.set_defaults(func=run)


def parse_floors(items: list[str]) -> dict[str, float]:
    from evals.aggregate import GATE_METRICS
    from index.errors import InputError

    floors = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in GATE_METRICS:
            raise InputError(
                f"--fail-under {item!r}: expected METRIC=VALUE with METRIC one of {', '.join(GATE_METRICS)}"
            )
        try:
            floors[name] = float(value)
        except ValueError:
            raise InputError(f"--fail-under {item!r}: {value!r} is not a number") from None
    return floors


def run(args, settings) -> int:
    import time

    from evals.aggregate import summarise
    from evals.datasets import load_dataset
    from index.errors import InputError

    if args.limit is not None and args.limit < 1:
        raise InputError(f"--limit {args.limit}: must be at least 1")
    if args.pages is not None:
        return _run_pages(args, settings)
    if args.followups is not None:
        return _run_followups(args, settings)
    floors = parse_floors(args.fail_under)
    if args.dataset is not None and args.claims is not None:
        raise InputError("eval: give either --dataset QUESTIONS or --claims CLAIMS, not both")
    if args.claims is not None:
        return _run_claims(args, settings, floors)
    if args.dataset is None:
        raise InputError(
            "eval needs --dataset FILE (questions), --claims FILE (citation check) or --pages DIR (extraction)"
        )
    questions = load_dataset(args.dataset, limit=args.limit)
    started = time.perf_counter()
    if args.corpus is not None:
        settings = _corpus_settings(args.corpus, settings)
    from evals.judges import make_judge
    from evals.judges.agreement import agreement
    from qa.service import NewsQA

    qa = NewsQA(settings)
    try:
        engine = args.engine or settings.resolved_engine
        judge = make_judge(args.judge, settings, qa.store.embedder)
        with _progress(len(questions), "answering") as advance:
            from evals.runner import evaluate

            results = evaluate(questions, qa, judge, engine=engine, on_done=advance)
        metrics = summarise(results, engine)
        metrics["judge"] = agreement(judge)
        metrics["dataset"] = str(args.dataset)
        metrics["elapsed_s"] = round(time.perf_counter() - started, 1)
    finally:
        qa.close()
    if args.out is not None:
        from evals.report import write_outputs

        write_outputs(args.out, metrics, results)
    from evals.report import summary_lines

    return _finish(args, metrics, floors, summary_lines)


def _finish(args, metrics: dict, floors: dict[str, float], summary_lines) -> int:
    """Print the metrics (JSON or a summary) and gate them on the floors: 3 if one fails."""
    from evals.aggregate import gate_failures

    if args.json:
        from qa.terminal import print_json

        print_json(metrics)
    else:
        for line in summary_lines(metrics):
            print(line)
    failed = gate_failures(metrics, floors)
    for line in failed:
        print(f"eval gate failed: {line}", file=sys.stderr)
    return 3 if failed else 0


def _floor_values(items: list[str]) -> dict[str, float]:
    """``--fail-under NAME=VALUE`` items as {name: value}; a value that is no number is one error."""
    from index.errors import InputError

    out = {}
    for item in items:
        name, _, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"--fail-under {item!r}: {value!r} is not a number") from None
    return out


def _run_followups(args, settings) -> int:
    """Follow-up rewriting against gold evidence; gated on ``followup_recall_ratio`` (or floors given)."""
    import json

    from evals.followups import GOAL, evaluate_followups, load_followups, summarise_followups, summary_lines
    from index.errors import InputError

    floors = _floor_values(args.fail_under)
    for name in floors:
        if name not in ("followup_recall_ratio", "standalone_untouched", "rewritten_recall"):
            raise InputError(
                f"--fail-under {name}: with --followups, METRIC is followup_recall_ratio, "
                "rewritten_recall or standalone_untouched"
            )
    conversations = load_followups(args.followups, limit=args.limit)
    if args.corpus is not None:
        settings = _corpus_settings(args.corpus, settings)
    from qa.service import NewsQA

    qa = NewsQA(settings)
    try:
        engine = args.engine or settings.resolved_engine
        with _progress(len(conversations), "conversations") as advance:
            results = evaluate_followups(conversations, qa, engine=engine, on_done=advance)
    finally:
        qa.close()
    metrics = summarise_followups(results)
    metrics["engine"] = engine
    metrics["dataset"] = str(args.followups)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "followups.json").write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
        (args.out / "followups.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results), encoding="utf-8")
    if args.json:
        from qa.terminal import print_json

        print_json(metrics)
    else:
        for line in summary_lines(metrics):
            print(line)
    failed = []
    for name, floor in (floors or {"followup_recall_ratio": GOAL}).items():
        value = metrics.get(name)
        if not isinstance(value, (int, float)) or value < floor:
            failed.append(f"{name} = {value} < {floor}")
    for line in failed:
        print(f"eval gate failed: {line}", file=sys.stderr)
    return 3 if failed else 0


def _run_pages(args, settings) -> int:
    """Extraction figures on saved pages; gated on the goals in evals/extraction.py, or on the
    --fail-under floors given instead."""
    from evals.extraction import GOALS, evaluate_pages, gate_failures, summary_lines
    from index.errors import InputError

    goals = None
    if args.fail_under:
        goals = _floor_values(args.fail_under)
        for name in goals:
            if name not in {*GOALS, "precision", "recall"}:
                raise InputError(
                    f"--fail-under {name}: with --pages, METRIC is one of "
                    "f1, precision, recall, date_right, author_rate"
                )
    metrics = evaluate_pages(args.pages, settings, limit=args.limit)
    if args.out is not None:
        import json

        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "extraction.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    if args.json:
        from qa.terminal import print_json

        print_json(metrics)
    else:
        for line in summary_lines(metrics):
            print(line)
    failed = gate_failures(metrics, goals)
    for line in failed:
        print(f"eval gate failed: {line}", file=sys.stderr)
    return 3 if failed else 0


def _run_claims(args, settings, floors: dict[str, float]) -> int:
    from evals.claimset import (
        check_claims,
        load_claims,
        summarise_claims,
        summary_lines,
    )
    from index.embedder import make_embedder

    def warn(line: str) -> None:
        print(f"warning: {line}", file=sys.stderr)

    claims = load_claims(args.claims, warn)[: args.limit]
    articles = _claim_articles(args.corpus, settings, {c.doc_id for c in claims}, warn)
    from qa.retrieve import Tuning

    with _progress(len(claims), "checking claims") as advance:
        results = check_claims(
            claims,
            articles,
            make_embedder(settings),
            chunk_chars=settings.chunk_chars,
            width=Tuning().window_chars,
            warn=warn,
            on_done=advance,
        )
    metrics = summarise_claims(results)
    metrics["dataset"] = str(args.claims)
    import json

    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "claims.json").write_text(json.dumps(metrics, indent=1))
        rows = (
            {"id": r.claim.id, "kind": r.claim.kind, "label": r.claim.label, "accepted": r.accepted, "reason": r.reason}
            for r in results
        )
        (args.out / "claims_results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return _finish(args, metrics, floors, summary_lines)


def _claim_articles(corpus: Path | None, settings, doc_ids: set[str], warn) -> dict:
    """The cited articles: read from the corpus files when given, else from the store."""
    from index.models import Article

    if corpus is not None:
        from index.loaders import iter_articles

        return {
            a.doc_id: a for a in iter_articles([corpus], settings) if isinstance(a, Article) and a.doc_id in doc_ids
        }
    from index.store import Store

    with Store.open(settings) as store, store.reading():
        return store.get_articles(sorted(doc_ids))


def _corpus_settings(corpus: Path, settings):
    from evals.stores import corpus_store
    from qa.ingest_view import progress_bar

    with progress_bar() as watch:  # the files counted first: a total and an ETA, as `newsqa ingest` shows
        own, built = corpus_store(corpus, settings, watch=watch)
    if built:
        print(f"built the evaluation store for {corpus} at {own.store_dir}", file=sys.stderr)
    return own


class _progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise (CI logs, pipes)."""

    def __init__(self, total: int | None, label: str):
        self.total, self.label = total, label
        self.bar: Progress | None = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return lambda n: None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = bar = Progress(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        bar.start()
        task = bar.add_task("", total=self.total)
        return lambda n: bar.update(task, completed=n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
