"""Readable output through real `newsqa` processes: wrapped to the terminal's width (a real
pseudo-terminal, or COLUMNS), never inside a word, dates as people read them, plurals right,
and an answer that streams word by word unless --no-stream."""

from __future__ import annotations

import json

from tests.qa.chat_stub_server import ChatStubServer
from tests.qa.pseudo_terminal import run_in_terminal
from tests.qa.test_cli import QUESTION, newsqa


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_ask_wraps_to_columns_and_never_splits_a_word(seed_settings):
    answer = json.loads(newsqa("ask", QUESTION, "--json").stdout)
    out = newsqa("ask", QUESTION, env={"COLUMNS": "50"})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert all(len(line) <= 50 for line in lines), out.stdout
    # Every quote reads whole once the line breaks are undone: no word was cut in two.
    for c in answer["citations"]:
        assert f"\u201c{_flat(c['quote'])}\u201d" in _flat(out.stdout)
    assert "19 Mar 2025" in out.stdout and "2025-03-19T" not in out.stdout
    assert lines[lines.index("Sources:") + 1].startswith("[1] unknown outlet \u00b7 19 Mar 2025 \u00b7 Trump and")
    # Piped with no COLUMNS: one line per paragraph, for the program reading it to wrap.
    piped = newsqa("ask", QUESTION, env={"COLUMNS": ""})
    assert max(len(line) for line in piped.stdout.splitlines()) > 200


def _first_words(server: ChatStubServer):
    """Records how many answers the server had finished streaming when the screen first showed text."""
    seen: dict[str, int] = {}

    def watch(screen: str) -> None:
        if "first" not in seen and screen.strip():
            seen["first"] = server.streams_finished

    return seen, watch


def test_an_answer_streams_wrapped_to_the_terminal_and_no_stream_waits_for_it(seed_settings):
    with ChatStubServer(token_delay=0.3) as server:
        env = {"OPENAI_BASE_URL": server.base_url, "NEWSQA_ENGINE": "openai"}
        seen, watch = _first_words(server)
        code, screen = run_in_terminal("ask", QUESTION, columns=40, env=env, watch=watch)
        assert code == 0, screen
        assert seen["first"] == 0  # on screen while the server was still sending the answer
        lines = screen.splitlines()
        assert all(len(line) <= 40 for line in lines), screen
        assert "Checked answer:" not in screen and "Sources:" in lines
        quote = lines[lines.index("Sources:") + 1 :]
        quote = _flat(" ".join(quote[next(i for i, line in enumerate(quote) if "\u201c" in line) :]))
        # The streamed answer, wrapped as it came, reads as the article's sentence it quotes.
        assert _flat(" ".join(lines[: lines.index("")])).rstrip(" [1].") in quote

        seen, watch = _first_words(server)
        code, screen = run_in_terminal("ask", QUESTION, "--no-stream", columns=40, env=env, watch=watch)
        assert code == 0, screen
        assert seen["first"] == 2  # nothing shown before the whole answer had come and been checked
        assert all(len(line) <= 40 for line in screen.splitlines()), screen


def test_sources_show_and_stats_read_like_prose(seed_settings):
    out = newsqa("sources")
    assert out.returncode == 0, out.stderr
    assert "19 Mar 2025" in out.stdout and "(9 chunks)" in out.stdout
    out = newsqa("show", json.loads(newsqa("sources", "--json").stdout)[0]["doc_id"])
    assert "published: 19 Mar 2025" in out.stdout
