"""What `newsqa ingest` shows a person: a bar with the file count, the ETA and the file being
read (Rich, on stderr, only on a terminal); the line an interrupt leaves; the closing summary."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from qa.readable import plural
from qa.terminal import one_line


def shown_name(path: str, limit: int = 40) -> str:
    """A file name or URL for the bar: no escapes (names are data), no Rich markup, the end kept."""
    from rich.markup import escape

    name = one_line(path.rstrip("/").rsplit("/", 1)[-1] if "://" in path else Path(path).name) or one_line(path)
    return escape(name if len(name) <= limit else "\u2026" + name[-(limit - 1) :])


class Watcher:
    """``ingest``'s ``watch``: keeps the file count (for the line an interrupt leaves) and drives
    the bar when there is one."""

    def __init__(self, bar=None, task=None):
        self.bar, self.task = bar, task
        self.total: int | None = None
        self.last = ""

    def __call__(self, done: int, total: int, current: str, stage: str) -> None:
        self.total = total
        if self.bar is None:
            return
        if current:
            self.last = shown_name(current)
        self.bar.update(self.task, completed=done, total=total, description=self.last if stage == "reading" else stage)


def make_bar(console, get_time=None):
    """The Rich bar: files done of the total, elapsed time, ETA, what is being read or done."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        # Files are read in bursts of a batch, then nothing moves while it is embedded: the pace is
        # the whole run's (Rich keeps the last 1,000 advances), never the last burst's. With a
        # 2-minute window the MultiHop-RAG ingest showed "ETA 0:00:14" with half an hour to go.
        speed_estimate_period=10**9,
        **({"get_time": get_time} if get_time is not None else {}),
    )


@contextmanager
def progress_bar(fetching: int = 0):
    """Yields a ``Watcher``; it shows a bar only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield Watcher()
        return
    from rich.console import Console

    with make_bar(Console(stderr=True)) as bar:
        label = f"fetching {plural(fetching, 'URL')}" if fetching else "counting files"
        yield Watcher(bar, bar.add_task(label, total=None))


def interrupted_line(report, files_total: int | None) -> str:
    """One line: what an interrupted run stored, and that running it again finishes the job."""
    stored = report.added + report.updated
    n = len(report.files)
    read = f"after {n} of {plural(files_total, 'file')}" if files_total else f"after {plural(n, 'file')}"
    kept = f"{plural(stored, 'article')} stored ({report.added} added, {report.updated} updated)"
    if report.unchanged:
        kept += f", {report.unchanged} already stored as they were"
    return f"interrupted {read}: {kept}; run the same ingest again to finish (stored articles are not embedded again)"


def summary_lines(report) -> tuple[list[str], str]:
    """The skipped files, each with its reason (for stderr), and the closing line (for stdout)."""
    skipped = [f"skipped {one_line(s.path)}: {one_line(s.reason)}" for s in report.skipped]
    return skipped, (
        f"{plural(report.articles, 'article')}: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.pruned} pruned, {len(report.skipped)} skipped; "
        f"{plural(report.chunks, 'chunk')} in the store"
    )
