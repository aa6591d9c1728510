"""``newsqa repair``: check the local store, mend it, or rebuild it when its database is damaged."""

from __future__ import annotations

import argparse
import sys

from qa.terminal import one_line, print_json


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "repair",
        parents=[common],
        help="check the store; rebuild it from its sources if its database is damaged",
        description="Check the local store. A sound one has crash debris removed and its BM25 index rebuilt; "
        "a damaged one is moved aside (kept, named *.damaged-DATE) and rebuilt from the files and URLs "
        "its articles came from.",
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=run_repair)


def run_repair(args, settings) -> int:
    from index.repair import repair

    report = repair(settings)
    if args.json:
        print_json(report.as_dict())
        return 0
    if report.damage is None:
        mended = f"; removed the debris of {_n(report.mended, 'interrupted write')}" if report.mended else ""
        print(
            f"the store at {report.store} is sound: {_n(report.articles, 'article')}, "
            f"{_n(report.chunks, 'chunk')}{mended}; BM25 index rebuilt"
        )
        return 0
    for path in report.missing:
        print(f"gone: {one_line(path)} (its articles could not be brought back)", file=sys.stderr)
    print(
        f"the store at {report.store} was damaged ({one_line(report.damage)}); the damaged copy is kept at "
        f"{report.moved_to}; rebuilt {_n(report.articles, 'article')} ({_n(report.chunks, 'chunk')}) from "
        f"{_n(report.sources, 'source')}"
    )
    return 0


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
