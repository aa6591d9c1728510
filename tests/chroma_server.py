"""A real `chroma run` server on 127.0.0.1 for tests: the benchmark's own launcher, reused."""

from evals.bench.chroma_server import chroma_server, free_port

__all__ = ["chroma_server", "free_port"]
