"""Concrete embedders behind :mod:`index.embedder`: the bundled MiniLM model and OpenAI's API."""
