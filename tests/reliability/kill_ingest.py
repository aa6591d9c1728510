"""Run `newsqa ingest ...` and SIGKILL the process just before its N-th write.

A write is any Chroma collection upsert/add/delete or file swap (``os.replace``, how the BM25
index is saved). ``N = 0`` kills nothing and prints ``WRITE-EVENTS=<count>`` to stderr, so a
test can learn how many kill points a run has and then land one kill at each of them. The kill
is a real SIGKILL of the real process: nothing after it runs, no handler, no cleanup.

    python tests/reliability/kill_ingest.py N ingest PATH ...
"""

from __future__ import annotations

import atexit
import functools
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    kill_at = int(sys.argv[1])
    count = 0

    def counted(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            nonlocal count
            count += 1
            if count == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)

        return wrapper

    from chromadb.api.models.Collection import Collection

    for name in ("upsert", "add", "delete"):
        setattr(Collection, name, counted(getattr(Collection, name)))
    os.replace = counted(os.replace)
    atexit.register(lambda: sys.stderr.write(f"WRITE-EVENTS={count}\n"))

    from qa.cli import main as cli_main

    return cli_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
