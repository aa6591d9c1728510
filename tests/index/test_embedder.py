"""The bundled MiniLM embedder, run for real on the shipped model file."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest

from index.embed_cache import CachedEmbedder
from index.embedder import TextEmbedder, make_embedder
from index.embedding.minilm import DIM, MiniLMEmbedder, default_model_path
from index.errors import EmbedderError
from index.settings import Settings

LONG_SENTENCE = (
    "The central bank raised interest rates by a quarter point on Wednesday, citing persistent "
    "inflation and a strong labour market, and signalled that further increases may follow. "
)


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder(batch_size=64)


def test_close_sentences_score_higher_than_unrelated(minilm: MiniLMEmbedder) -> None:
    cat, kitten, stocks = minilm.embed(
        ["The cat sat on the mat.", "A kitten was resting on the rug.", "Stock markets fell sharply on Monday."]
    )
    assert cat @ kitten > cat @ stocks + 0.3


def test_rows_are_unit_norm_float32(minilm: MiniLMEmbedder) -> None:
    vectors = minilm.embed(["one", "two words", "", LONG_SENTENCE])
    assert vectors.shape == (4, DIM)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_text_alone_equals_text_padded_in_a_batch(minilm: MiniLMEmbedder) -> None:
    short = "Oil prices rose after the announcement."
    alone = minilm.embed([short])[0]
    batch = minilm.embed([LONG_SENTENCE * 3, short, LONG_SENTENCE])
    np.testing.assert_allclose(batch[1], alone, atol=1e-4)


def test_order_is_kept_across_sorted_batches() -> None:
    small_batches = MiniLMEmbedder(batch_size=2)
    texts = [LONG_SENTENCE * 2, "b", LONG_SENTENCE, "a longer text about football", "x y z"]
    together = small_batches.embed(texts)
    one_by_one = np.stack([small_batches.embed([t])[0] for t in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-4)


def test_long_text_is_truncated_to_its_start(minilm: MiniLMEmbedder) -> None:
    prefix = LONG_SENTENCE * 20  # far beyond 256 tokens
    a, b = minilm.embed([prefix + "Football scores.", prefix + "Quantum chemistry."])
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert not np.allclose(minilm.embed([LONG_SENTENCE])[0], a, atol=1e-3)


def test_empty_list_gives_empty_matrix(minilm: MiniLMEmbedder) -> None:
    out = minilm.embed([])
    assert out.shape == (0, DIM)
    assert out.dtype == np.float32


def test_corrupt_model_file_is_refused(tmp_path) -> None:
    copy = tmp_path / "model.onnx"
    shutil.copyfile(default_model_path(), copy)
    with copy.open("r+b") as fh:
        fh.seek(1000)
        byte = fh.read(1)
        fh.seek(1000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(EmbedderError, match="sha256") as info:
        MiniLMEmbedder(model_path=copy).embed(["hello"])
    assert str(copy) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_model_file_names_it(tmp_path) -> None:
    missing = tmp_path / "nowhere.onnx"
    with pytest.raises(EmbedderError, match=r"nowhere\.onnx"):
        MiniLMEmbedder(model_path=missing).load()


def test_factory_wraps_minilm_in_the_cache(tmp_path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", embed_batch_size=8, embed_threads=1)
    cached = make_embedder(settings)
    assert isinstance(cached, CachedEmbedder)
    assert isinstance(cached, TextEmbedder)
    assert (cached.name, cached.dim) == ("minilm-l6-v2-int8", DIM)
    plain = make_embedder(settings, cache=False)
    assert isinstance(plain, MiniLMEmbedder)
    np.testing.assert_allclose(cached.embed(["same text"]), plain.embed(["same text"]), atol=1e-6)
    assert (tmp_path / "cache" / "embeddings.sqlite3").is_file()


def test_importing_the_embedder_loads_no_heavy_library() -> None:
    code = (
        "import sys, index.embedder, index.embed_cache, index.embedding.minilm, index.embedding.openai_api\n"
        "heavy = [m for m in ('onnxruntime', 'tokenizers', 'openai', 'llama_index') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_automatic_threads_leave_the_cores_other_processes_use():
    from index.embedding.minilm import auto_threads

    assert auto_threads(2, 0) == 2  # an idle 2-core machine: both cores
    assert auto_threads(2, 1) == 1
    assert auto_threads(2, 7) == 1  # eight busy clients: one each, never zero
    assert auto_threads(8, 3) == 5
    assert auto_threads(4, None) == 2  # no /proc/loadavg: the measured default


def test_automatic_threads_give_the_vectors_of_a_fixed_thread_count():
    texts = ["The council approved the harbour budget.", "A storm closed the airport for two days."]
    fixed, auto = MiniLMEmbedder(threads=1).embed(texts), MiniLMEmbedder(threads=0).embed(texts)
    assert np.allclose(fixed, auto, atol=1e-5)
