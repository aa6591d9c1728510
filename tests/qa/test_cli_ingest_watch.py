"""`newsqa ingest` as a person watches it: a real process on a pseudo-terminal (so Rich draws
its bar), Ctrl-C typed into that terminal, the real store checked against what was said."""

from __future__ import annotations

import io
import json
import re

from tests.qa.pseudo_terminal import run_in_terminal
from tests.qa.test_cli import newsqa

TOWNS = ("Arlen", "Brisk", "Caldor", "Dunmere", "Elsby", "Fenwick", "Garrow", "Holt")


def write_corpus(folder, n: int, tag: str) -> None:
    """``n`` short local-news articles, each its own text (so each is embedded once)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        town = TOWNS[i % len(TOWNS)]
        (folder / f"{i:03d}_{town.lower()}.txt").write_text(
            f"{town} council votes on plan {tag}-{i}\n"
            f"The council of {town} voted on Tuesday to approve plan {tag}-{i} for the harbour. "
            f"The ferry will close for {i % 7 + 2} weeks while dock workers repair pier {i}. "
            f"Residents asked about the cost, which the council put at {i + 3} million.\n"
        )


def interrupt_at(files: int):
    """Types Ctrl-C once the bar shows ``files`` files done."""
    sent = []

    def watch(screen: str) -> bytes | None:
        done = re.findall(r"(\d+)/\d+ files", screen)
        if not sent and done and int(done[-1]) >= files:
            sent.append(True)
            return b"\x03"
        return None

    return watch


def stored_articles() -> int:
    out = newsqa("stats", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["articles"]


def test_the_bar_has_a_total_an_eta_and_the_file_and_ctrl_c_says_what_was_kept(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 150, tmp_path.name)
    code, screen = run_in_terminal("ingest", str(corpus), columns=110, watch=interrupt_at(40))
    assert code == 130, screen
    assert "/150 files" in screen and "ETA" in screen
    assert re.search(r"\d{3}_[a-z]+\.txt", screen)  # the file being read
    assert "embedding 32 articles" in screen  # a batch being embedded is said, not a frozen bar
    found = re.search(
        r"interrupted after (\d+) of 150 files: (\d+) articles stored \((\d+) added, 0 updated\); "
        r"run the same ingest again to finish",
        screen,
    )
    assert found, screen
    files, stored, added = map(int, found.groups())
    assert 40 <= files <= 150 and stored == added and stored >= 32
    assert "Traceback" not in screen
    assert stored_articles() == stored  # what the line says is what the store holds

    # Running it again finishes the job: the rest added, what was stored left alone.
    out = newsqa("ingest", str(corpus))
    assert out.returncode == 0, out.stderr
    assert out.stdout == (
        f"150 articles: {150 - stored} added, 0 updated, {stored} unchanged, 0 pruned, 0 skipped; "
        "150 chunks in the store\n"
    )
    assert stored_articles() == 150


def test_summary_names_each_skipped_file_and_counts_in_words(tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 1, tmp_path.name)
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04 not a supported format")
    (corpus / "broken.json").write_text("{")
    out = newsqa("ingest", str(corpus))
    assert out.returncode == 0, out.stderr
    assert out.stdout == "1 article: 1 added, 0 updated, 0 unchanged, 0 pruned, 2 skipped; 1 chunk in the store\n"
    skipped = out.stderr.splitlines()
    assert len(skipped) == 2
    assert skipped[0].startswith(f"skipped {corpus / 'broken.json'}: ")
    assert skipped[1].startswith(f"skipped {corpus / 'notes.docx'}: ")


def test_a_file_name_with_rich_markup_is_shown_as_it_is():
    from rich.console import Console
    from rich.progress import Progress, TextColumn

    from qa.ingest_view import Watcher

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    with Progress(TextColumn("{task.description}"), console=console, auto_refresh=False) as bar:
        watch = Watcher(bar, bar.add_task("", total=None))
        watch(1, 2, "/news/[bold red]Breaking[link=x] news.txt", "reading")  # no "/": a name holds none
        bar.refresh()
    assert "[bold red]Breaking[link=x] news.txt" in screen.getvalue()
    assert watch.total == 2


def test_the_eta_is_the_whole_runs_pace_not_the_last_bursts():
    """Batches: 32 files read in a second, then 60 s embedding them. The ETA must follow that
    pace (a minute per 32 files), not the burst's (32 files a second)."""
    from rich.console import Console

    from qa.ingest_view import Watcher, make_bar

    now = [0.0]
    bar = make_bar(Console(file=io.StringIO(), force_terminal=True, width=120), get_time=lambda: now[0])
    watch = Watcher(bar, bar.add_task("", total=None))
    watch(0, 320, "", "reading")
    done = 0
    for _ in range(5):  # 160 of 320 files in 5 batches of 61 s
        for _ in range(32):
            now[0] += 1 / 32
            done += 1
            watch(done, 320, f"/c/{done:03d}.json", "reading")
        now[0] += 60
        watch(done, 320, "", "embedding 32 articles")
    remaining = bar.tasks[0].time_remaining
    assert remaining is not None and 200 <= remaining <= 400, remaining  # the truth: 5 more batches, ~305 s
