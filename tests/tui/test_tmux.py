"""The real `newsqa chat` in a real terminal (tmux): from question to cited answer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

WAIT_S = 120.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def alive(session: str) -> bool:
    return subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0


def wait_screen(session: str, predicate, what: str) -> str:
    deadline = time.monotonic() + WAIT_S
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.25)
    pytest.fail(f"gave up waiting for {what}; the screen was:\n{screen}")


def test_newsqa_chat_in_tmux_answers_with_citations(tmp_path, seed_store_template, embed_cache_dir):
    store = tmp_path / "store"
    shutil.copytree(seed_store_template, store)
    newsqa = Path(sys.executable).with_name("newsqa")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEWSQA_"))}
    env.update(
        NEWSQA_STORE=str(store),
        NEWSQA_DATA_DIR=str(tmp_path / "data"),
        NEWSQA_CACHE_DIR=str(embed_cache_dir),
        TERM="xterm-256color",
    )
    session = f"newsqa-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("NEWSQA_") or k == "TERM")
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "36", f"env {exports} {newsqa} chat")
    try:
        wait_screen(session, lambda s: re.search(r"\d+ chunks", s) is not None, "the store to load")
        tmux("send-keys", "-t", session, "-l", "What are Putin's conditions for a ceasefire?")
        tmux("send-keys", "-t", session, "Enter")
        # The answer is drawn a frame before the Sources panel lists its article: wait for both.
        wait_screen(session, lambda s: "[1]" in s and "Putin" in s and "2025-03-19" in s, "a cited answer")
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and alive(session):
            time.sleep(0.2)
        assert not alive(session), "Ctrl+Q did not quit the chat"
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert (tmp_path / "data" / "conversations.sqlite3").exists()


def test_at_80x24_the_footer_keys_and_the_export_path_are_whole(tmp_path, seed_store_template, embed_cache_dir):
    store = tmp_path / "store"
    shutil.copytree(seed_store_template, store)
    newsqa = Path(sys.executable).with_name("newsqa")
    env = {
        "HOME": str(tmp_path),
        "NEWSQA_STORE": str(store),
        "NEWSQA_DATA_DIR": str(tmp_path / "data"),
        "NEWSQA_CACHE_DIR": str(embed_cache_dir),
        "TERM": "xterm-256color",
    }
    session = f"newsqa-{uuid.uuid4().hex[:8]}"
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {exports} {newsqa} chat")
    try:
        screen = wait_screen(session, lambda s: re.search(r"\d+ chunks", s) is not None, "the store to load")
        footer = screen.rstrip("\n").splitlines()[-1]
        for key in ("f1 Help", "^n New chat", "^o Chats", "^t Filters", "^s Export", "^p palette"):
            assert key in footer, f"{key!r} is not whole in the footer: {footer!r}"
        tmux("send-keys", "-t", session, "-l", "What are Putin's conditions for a ceasefire?")
        tmux("send-keys", "-t", session, "Enter")
        wait_screen(session, lambda s: "source" in s and "[1]" in s, "a cited answer")
        tmux("send-keys", "-t", session, "C-s")
        wait_screen(session, lambda s: "~/data/exports/conversation-1.md" in s, "the whole export path on one line")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)
    assert (tmp_path / "data" / "exports" / "conversation-1.md").exists()
