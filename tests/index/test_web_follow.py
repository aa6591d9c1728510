"""``ingest --follow``: polling feeds, with the store free for readers between rounds, and a
clean stop on Ctrl-C. Against a real server on 127.0.0.1 and a real store."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from index.errors import InputError, StoreBusy
from index.store import Store
from index.web.run import Totals, follow
from tests.conftest import REPO
from tests.index.site_server import Page, Site
from tests.index.web_fixtures import page, rss, story


@pytest.fixture
def site():
    with Site() as s:
        yield s


def _serve_feed(site: Site, n: int) -> None:
    items = []
    for i in range(n):
        site.pages[f"/p{i}"] = Page(page(f"Story {i}", story(f"plan number {i}")))
        items.append(
            {
                "title": f"Story {i}",
                "link": site.url(f"/p{i}"),
                "date": "Mon, 30 Nov 2026 08:00:00 GMT",
                "summary": f"Plan {i}.",
            }
        )
    site.pages["/feed.xml"] = Page(rss("Harbour Gazette", items), content_type="application/rss+xml", etag=f'"n{n}"')


def test_two_rounds_pick_up_a_new_entry_and_leave_the_store_free_between(settings, site):
    web = settings.model_copy(update={"fetch_timeout": 0.5, "fetch_host_delay": 0.0})
    _serve_feed(site, 1)
    rounds, readers = [], []

    def between_rounds(seconds: float) -> None:
        # What `ask` and the chat do: open the store and read, not waiting more than briefly.
        with Store.open(web.model_copy(update={"lock_timeout": 0.2})) as store, store.reading():
            readers.append(store.counts()[0])
        _serve_feed(site, 2)

    follow([site.url("/feed.xml")], web, 5, Totals(), rounds.append, rounds=2, sleep=between_rounds)
    assert [(r.added, r.unchanged) for r in rounds] == [(1, 0), (1, 1)]
    assert readers == [1]


def test_a_round_with_a_busy_store_is_reported_and_the_next_goes_on(settings, site):
    web = settings.model_copy(update={"fetch_timeout": 0.5, "fetch_host_delay": 0.0, "lock_timeout": 0.1})
    _serve_feed(site, 1)
    rounds = []
    totals = Totals()
    writer = Store.open(web, write=True)  # another ingest holding the store

    def release(seconds: float) -> None:
        writer.close()

    try:
        follow([site.url("/feed.xml")], web, 5, totals, rounds.append, rounds=2, sleep=release)
    finally:
        writer.close()
    assert isinstance(rounds[0], StoreBusy) and rounds[1].added == 1
    assert (totals.rounds, totals.added, totals.failed) == (2, 1, 1)


def test_follow_takes_urls_only(settings, tmp_path):
    with pytest.raises(InputError, match="--follow polls URLs only"):
        follow([str(tmp_path)], settings, 5, Totals(), print, rounds=1)


def test_ctrl_c_ends_a_follow_with_a_summary(site, tmp_path):
    _serve_feed(site, 2)
    env = {**os.environ, "NEWSQA_FETCH_HOST_DELAY": "0", "NEWSQA_FETCH_TIMEOUT": "2", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", "--follow", "0.005", site.url("/feed.xml")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = [proc.stdout.readline() for _ in range(2)]
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert re.match(r"round 1 at \S+: 2 articles: 2 added, 0 updated, 0 unchanged, 0 skipped", lines[0])
    assert re.match(r"round 2 at \S+: 2 articles: 0 added, 0 updated, 2 unchanged, 0 skipped", lines[1])
    assert proc.returncode == 0, err
    last = (lines + out.splitlines())[-1]
    assert re.fullmatch(r"stopped after [23] rounds: 2 added, 0 updated, 0 failed", last), (out, err)
    assert "Traceback" not in err


def test_ask_answers_from_the_store_while_a_follow_round_fetches(settings, site):
    # A real `newsqa ask` in its own process, while the second round is mid-download: it must
    # answer from what the first round stored, not wait for the round or fail as busy.
    web = settings.model_copy(update={"fetch_timeout": 60, "fetch_host_delay": 0.0})
    _serve_feed(site, 1)
    hold = threading.Event()
    rounds: list = []

    def next_round(seconds: float) -> None:
        _serve_feed(site, 2)
        site.pages["/p1"].hold = hold  # the new entry's page stalls until ask has answered

    worker = threading.Thread(
        target=follow,
        args=([site.url("/feed.xml")], web, 5, Totals(), rounds.append),
        kwargs={"rounds": 2, "sleep": next_round},
        daemon=True,
    )
    worker.start()
    try:
        deadline = time.monotonic() + 120
        while "/p1" not in site.paths() and worker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "/p1" in site.paths(), rounds
        ask = subprocess.run(
            [sys.executable, "-m", "qa.cli", "ask", "What did the council of Port Alder vote on?", "--json"],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), "NEWSQA_LOCK_TIMEOUT": "2"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        still_fetching = worker.is_alive() and len(rounds) == 1
    finally:
        hold.set()
        worker.join(120)
    assert ask.returncode == 0, ask.stderr
    assert still_fetching  # ask ran while the round was in flight
    answer = json.loads(ask.stdout)
    assert {c["title"] for c in answer["citations"]} == {"Story 0"}
    assert [(r.added, r.unchanged) for r in rounds] == [(1, 0), (1, 1)]
