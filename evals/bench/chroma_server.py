"""A `chroma run` server on 127.0.0.1 for the scale-out benchmark (evals must not import tests)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def chroma_server(path: Path, timeout: float = 60.0):
    """Serve the Chroma directory ``path``; yields its URL, stops the server on exit."""
    local = Path(sys.executable).parent / "chroma"
    exe = str(local) if local.exists() else shutil.which("chroma")
    if exe is None:
        raise RuntimeError("the chroma CLI is not installed")
    port = free_port()
    log_path = path.parent / f"chroma-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1).read()
                    break
                except OSError as err:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"chroma run did not start: see {log_path}") from err
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
