"""The bench's extraction section on the project's own fixture pages: real loader, real embedder,
figures that are sane (no timing judged)."""

from __future__ import annotations

import math

from evals.bench.extraction import FIXTURE_PAGES, bench_extraction
from evals.bench.report import goal_rows


def test_extraction_is_timed_beside_embedding_on_real_pages(settings):
    result = bench_extraction(settings, pages=FIXTURE_PAGES)
    files = [p for p in FIXTURE_PAGES.iterdir() if p.suffix == ".html"]
    assert result["pages"] == len(files) and result["articles"] == len(files)  # every page gave its article
    assert result["chunks"] >= result["articles"]
    for key in ("extract_s", "pages_per_s", "mb_per_s", "embed_s", "embed_pages_per_s", "embed_chunks_per_s"):
        assert isinstance(result[key], float) and math.isfinite(result[key]) and result[key] > 0, key
    assert 0 < result["extraction_share"] < 1
    rows = {r["figure"]: r for r in goal_rows({"extraction": result})}
    assert rows["HTML extraction pages/s"]["value"] == result["pages_per_s"]
    assert rows["extraction share of extract + embed"]["status"] in ("ok", "MISS")


def test_an_empty_folder_gives_no_figures(settings, tmp_path):
    assert bench_extraction(settings, pages=tmp_path) == {"pages_dir": str(tmp_path), "pages": 0}
