"""The core subcommands: ingest, sources, show, stats (and ask and logs, from their own modules)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from qa.terminal import one_line, print_json


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("ingest", parents=[common], help="load articles into the store")
    p.add_argument(
        "paths",
        nargs="*",
        type=_named_source,
        metavar="PATH|URL",
        help="files, folders, or http(s) URLs of pages and feeds (default: the bundled seeds/)",
    )
    p.add_argument("--prune", action="store_true", help="drop stored articles whose files are gone")
    p.add_argument(
        "--follow", type=_minutes, metavar="MINUTES", help="poll the URLs every MINUTES until stopped (Ctrl-C)"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run_ingest)

    from qa import ask_command, logs_command

    ask_command.register(sub, common)
    logs_command.register(sub, common)

    p = sub.add_parser("sources", parents=[common], help="list indexed articles (or outlets)")
    p.add_argument("--outlets", action="store_true", help="list the outlets with their article counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_sources)

    p = sub.add_parser("show", parents=[common], help="print one stored article: its metadata and body")
    p.add_argument("doc_id", help="the article's doc_id (as `sources` lists it), or a unique start of it")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_show)

    p = sub.add_parser("stats", parents=[common], help="counts, embedder and where the store lives")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run_stats)

    from qa import repair_command

    repair_command.register(sub, common)


def default_corpus() -> Path:
    """The bundled seeds/: inside the package when installed from a wheel (pyproject.toml maps the
    top-level seeds/ to qa/seeds there), at the top of the checkout otherwise."""
    here = Path(__file__).resolve().parent
    installed = here / "seeds"
    return installed if installed.is_dir() else here.parent / "seeds"


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"not a positive number of minutes: {text!r}")
    return value


def run_ingest(args, settings) -> int:
    from index.models import IngestReport
    from index.web import is_url
    from index.web.run import ingest_sources
    from qa.ingest_view import interrupted_line, progress_bar, summary_lines

    if args.follow is not None:
        return _run_follow(args, settings)
    paths = args.paths or [default_corpus()]
    report = IngestReport()
    watch = None
    try:
        with progress_bar(fetching=sum(1 for p in paths if is_url(p))) as watch:
            ingest_sources(paths, settings, prune=args.prune, watch=watch, report=report)
    except KeyboardInterrupt:
        print(interrupted_line(report, watch.total if watch is not None else None), file=sys.stderr)
        return 130
    if args.json:
        print_json(report.as_dict())
    else:
        skipped, summary = summary_lines(report)
        for line in skipped:
            print(line, file=sys.stderr)
        print(summary)
    return 1 if report.articles == 0 and report.skipped else 0


def _run_follow(args, settings) -> int:
    """Poll until Ctrl-C; a line per round, and one to sum up."""
    import time

    from index.errors import NewsQAError
    from index.web.run import Totals, follow
    from qa.ingest_view import summary_lines
    from qa.readable import plural

    if not args.paths:
        raise _input_error("--follow needs the URLs of the feeds or pages to poll")
    totals = Totals()

    def on_round(report) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(report, NewsQAError):
            print(f"round {totals.rounds} at {stamp}: error: {one_line(str(report))}", file=sys.stderr)
        else:
            if args.json:
                print_json({"round": totals.rounds, **report.as_dict()})
            else:
                for line in summary_lines(report)[0]:
                    print(line, file=sys.stderr)
                print(
                    f"round {totals.rounds} at {stamp}: {plural(report.articles, 'article')}: {report.added} added, "
                    f"{report.updated} updated, {report.unchanged} unchanged, {len(report.skipped)} skipped"
                )
        sys.stdout.flush()

    with contextlib.suppress(KeyboardInterrupt):
        follow([str(p) for p in args.paths], settings, args.follow, totals, on_round)
    if args.json:
        print_json(
            {
                "stopped_after_rounds": totals.rounds,
                "added": totals.added,
                "updated": totals.updated,
                "failed": totals.failed,
            }
        )
    else:
        print(
            f"stopped after {totals.rounds} round{'s' if totals.rounds != 1 else ''}: {totals.added} added, "
            f"{totals.updated} updated, {totals.failed} failed"
        )
    return 0


def _input_error(message: str):
    from index.errors import InputError

    return InputError(message)


def _named_source(value: str) -> Path | str:
    """A path, or a URL kept as text (a Path would fold its "//")."""
    from index.web import is_url

    if not value.strip():
        raise argparse.ArgumentTypeError("an empty path (use . for the current directory)")
    return value if is_url(value) else Path(value)


def run_sources(args, settings) -> int:
    from index.store import Store

    with Store.open(settings) as store, store.reading():
        metas = store.list_articles()
    if args.outlets:
        return _print_outlets(metas, args.json)
    rows: list[dict[str, Any]] = [
        {
            "doc_id": m.doc_id,
            "title": m.title,
            "source": m.source,
            "published_at": m.published_at,
            "url": m.url,
            "author": m.author,
            "path": m.path,
            "chunks": m.n_chunks,
        }
        for m in metas
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("no articles indexed: run `newsqa ingest PATH`")
    from qa.readable import human_date, plural

    for r in rows:
        print(
            f"{r['doc_id']}  {human_date(r['published_at']) or '-':<11}  "
            f"{one_line(r['source']) or '-'}  {one_line(r['title'])}  ({plural(r['chunks'], 'chunk')})"
        )
    return 0


def _find_article(store, wanted: str):
    """The stored article ``wanted`` names: its doc_id, else the one doc_id starting with it."""
    from index.errors import InputError

    wanted = wanted.strip()
    article = store.get_article(wanted) if wanted else None
    if article is not None:
        return article
    matches = [m.doc_id for m in store.list_articles() if wanted and m.doc_id.startswith(wanted)]
    if len(matches) == 1:
        return store.get_article(matches[0])
    if matches:
        shown = ", ".join(sorted(matches)[:5])
        raise InputError(
            f"{len(matches)} articles start with {wanted!r} "
            f"({shown}{', ...' if len(matches) > 5 else ''}): give more of the id"
        )
    raise InputError(f"no stored article with doc_id {wanted!r}: `newsqa sources` lists them")


def run_show(args, settings) -> int:
    from index.store import Store

    with Store.open(settings) as store, store.reading():
        article = _find_article(store, args.doc_id)
    m = article.meta
    fields = {
        "doc_id": m.doc_id,
        "title": m.title,
        "source": m.source,
        "published_at": m.published_at,
        "author": m.author,
        "url": m.url,
        "path": m.path,
        "chunks": m.n_chunks,
    }
    if args.json:
        print_json({**fields, "body": article.body})
        return 0
    from qa.readable import human_date, output_width, wrap

    if m.published_at and human_date(m.published_at) != one_line(m.published_at):
        fields["published_at"] = f"{human_date(m.published_at)} ({m.published_at})"
    labels = {"source": "outlet", "published_at": "published"}
    for key, value in fields.items():
        print(f"{labels.get(key, key)}: {one_line(str(value)) if value not in (None, '') else '-'}")
    print()
    print("\n".join(wrap(article.body, output_width())))
    return 0


def _print_outlets(metas, as_json: bool) -> int:
    """Outlets by article count (most first), articles without an outlet counted as null."""
    from collections import Counter

    counts = Counter(m.source or None for m in metas)
    rows: list[dict[str, Any]] = [
        {"outlet": o, "articles": n} for o, n in sorted(counts.items(), key=lambda x: (-x[1], x[0] or ""))
    ]
    if as_json:
        print_json(rows)
        return 0
    if not rows:
        print("no articles indexed: run `newsqa ingest PATH`")
    width = len(str(max(counts.values(), default=0)))
    for r in rows:
        print(f"{r['articles']:>{width}}  {one_line(r['outlet']) if r['outlet'] else '(no outlet)'}")
    return 0


def run_stats(args, settings) -> int:
    from qa.service import NewsQA

    app = NewsQA(settings)
    try:
        stats = app.stats()
    finally:
        app.close()
    if args.json:
        print_json(stats)
    else:
        for k, v in stats.items():
            print(f"{k}: {one_line(str(v)) if v is not None else '-'}")
    return 0
