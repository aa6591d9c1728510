"""A sentinel API key through ask, chat and eval, working and failing: it must appear in no
output, error, log, database or store file. And every file newsqa creates is its owner's only.
"""

from __future__ import annotations

import stat

from pydantic import SecretStr

from index.settings import Settings
from tests.conftest import SEEDS
from tests.qa.chat_stub_server import ChatStubServer
from tests.qa.fault_server import FaultServer, status
from tests.reliability.helpers import REPO, newsqa
from tests.tui.conftest import ask, ready
from tui.app import NewsQAChat

SENTINEL = "sk-SENTINEL-5e9d02-do-not-leak-0123456789"
QUESTION = "What are Putin's conditions for a ceasefire?"
SEED_QUESTIONS = REPO / "evals" / "data" / "seed_questions.jsonl"


def leaks(text: str | bytes) -> bool:
    data = text.encode() if isinstance(text, str) else text
    # the whole key, or a telling piece of it (a truncated or partly masked echo)
    return any(part.encode() in data for part in (SENTINEL, SENTINEL[3:20], SENTINEL[-16:]))


async def test_the_api_key_leaks_nowhere_and_files_are_private(tmp_path, embed_cache_dir):
    dirs = {"data": tmp_path / "data", "cache": tmp_path / "cache", "store": tmp_path / "store"}
    env = {
        "NEWSQA_DATA_DIR": str(dirs["data"]),
        "NEWSQA_CACHE_DIR": str(dirs["cache"]),
        "NEWSQA_STORE": str(dirs["store"]),
        "OPENAI_API_KEY": SENTINEL,
        "NEWSQA_MAX_RETRIES": "0",
    }
    outputs = []
    with ChatStubServer() as good, FaultServer([status(401, "invalid key {auth}")]) as bad:

        def run(*args: str, server, expect: int = 0) -> None:
            out = newsqa(*args, env={**env, "OPENAI_BASE_URL": server.base_url})
            assert out.returncode == expect, (args, out.stderr[-2000:])
            outputs.append((args, out.stdout + out.stderr))

        run("ingest", str(SEEDS), server=good)
        run("ask", QUESTION, server=good)
        run("ask", QUESTION, "--json", server=good)
        run("ask", QUESTION, server=bad, expect=1)
        run("stats", "--json", server=good)
        out_dir = dirs["data"] / "eval-out"
        run(
            "eval",
            "--dataset",
            str(SEED_QUESTIONS),
            "--corpus",
            str(SEEDS),
            "--limit",
            "2",
            "--engine",
            "openai",
            "--out",
            str(out_dir),
            server=good,
        )
        run(
            "eval",
            "--dataset",
            str(SEED_QUESTIONS),
            "--corpus",
            str(SEEDS),
            "--limit",
            "1",
            "--engine",
            "openai",
            server=bad,
            expect=1,
        )
        assert any("401" in text for _, text in outputs)  # the failures really reached the bad server

        for server in (good, bad):
            settings = Settings(
                data_dir=dirs["data"],
                cache_dir=dirs["cache"],
                store=dirs["store"],
                engine="openai",
                openai_base_url=server.base_url,
                openai_api_key=SecretStr(SENTINEL),
                max_retries=0,
            )
            app = NewsQAChat(settings)
            async with app.run_test(size=(120, 40)) as pilot:
                await ready(pilot)
                view = await ask(pilot, QUESTION)
                assert view.turn.status == ("complete" if server is good else "failed")
                outputs.append(("chat", " ".join(n.message for n in app._notifications)))
                outputs.append(("chat screen", app.export_screenshot()))
        assert good.requests and bad.count

    for args, text in outputs:
        assert not leaks(text), args
    files = [p for d in dirs.values() for p in d.rglob("*")]
    assert any(p.name == "conversations.sqlite3" for p in files) and any(p.name == "chroma.sqlite3" for p in files)
    for path in files:
        if path.is_file() and not path.is_symlink():
            assert not leaks(path.read_bytes()), path
    # Everything the newsqa command created (the chat above ran in this process, with its umask,
    # so the files only it wrote are checked by their own tests: the conversation database).
    for path in [*dirs.values(), *files]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_the_store_and_its_files_are_private_even_from_the_library(tmp_path, embed_cache_dir):
    """Library use (no CLI umask): the store directory itself still shuts others out."""
    from index.ingest import ingest

    settings = Settings(store=tmp_path / "lib-store", data_dir=tmp_path / "d", cache_dir=embed_cache_dir)
    ingest([SEEDS], settings)
    assert stat.S_IMODE(settings.store_dir.stat().st_mode) == 0o700
    for name in ("newsqa.lock", "chroma.sqlite3"):
        assert stat.S_IMODE((settings.store_dir / name).stat().st_mode) & 0o077 == 0, name
