"""`newsqa bench --quick` end to end on a synthetic corpus: complete, sane output (no timings judged)."""

from __future__ import annotations

import json
import math

import pytest

from evals.bench.measure import latency_summary, percentile
from qa.cli import main

SECTIONS = ("ingest", "extraction", "queries", "peers", "growth", "coldstart", "scaleout")


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.mark.slow
def test_quick_bench_writes_every_section(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        [
            "bench",
            "--quick",
            "--synthetic",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
            "--scale",
            "200,600",
        ]
    )
    assert code == 0
    printed = capsys.readouterr()
    assert "SYNTHETIC corpus" in printed.out  # it says it is not the real corpus
    result = json.loads((out / "bench.json").read_text())
    assert result["meta"]["synthetic"] is True and result["skipped"] == []
    for section in SECTIONS:
        assert section in result, section

    ext = result["extraction"]
    assert ext["pages"] >= 1 and ext["articles"] == ext["pages"] and 0 < ext["extraction_share"] < 1

    ing = result["ingest"]
    assert ing["articles"] == 12 and ing["chunks"] >= ing["articles"]
    for key in (
        "whole_s",
        "raw_embed_s",
        "overhead_ratio",
        "articles_per_s",
        "chunks_per_s",
        "raw_tokens_per_s",
        "peak_rss_mb",
        "reingest_unchanged_s",
    ):
        assert _positive(ing[key]), key
    assert {(c["threads"], c["batch_size"]) for c in ing["embedder_configs"]} == {(1, 16), (2, 16), (1, 32), (2, 32)}
    assert all(_positive(c["texts_per_s"]) for c in ing["embedder_configs"])

    q = result["queries"]
    for kind in ("retrieval", "ask"):
        assert q[kind]["n"] == q["questions"] > 0
        assert 0 < q[kind]["p50_ms"] <= q[kind]["p95_ms"]

    assert q["ask_over_retrieval_p50"] > 0

    p = result["peers"]
    assert p["questions"] == 6 and p["with_evidence"] == 0  # synthetic questions carry no gold evidence
    for name in ("newsqa", "llama_index", "chroma", "bm25s"):
        assert p[name]["retrieval"]["n"] == 6 and 0 < p[name]["retrieval"]["p50_ms"] <= p[name]["retrieval"]["p95_ms"]
        assert p[name]["evidence_recall@10"] is None
        assert _positive(p[name]["ingest"]["seconds"]) and _positive(p[name]["ingest"]["peak_rss_mb"])
    assert p["llama_index"]["ingest"]["units"] > 0 and p["chroma"]["ingest"]["units"] == ing["chunks"]
    for name in ("llama_index", "chroma", "bm25s"):
        assert _positive(p["ratios"][name]["retrieval_p50"]) and _positive(p["ratios"][name]["ingest_s"])
    assert "llama-index (vanilla)" in printed.out  # the peer table is printed

    g = result["growth"]
    assert [p["chunks"] for p in g["points"]] == [200, 600]
    for p in g["points"]:
        for key in ("insert_s", "disk_mb", "sqlite_mb", "rss_mb", "vectors_mb"):
            assert _positive(p[key]), key
        assert 0 < p["retrieval"]["p50_ms"] <= p["retrieval"]["p95_ms"]
        assert 0 < p["dense"]["p50_ms"] <= p["dense"]["p95_ms"]
    assert g["points"][1]["disk_mb"] > g["points"][0]["disk_mb"]
    assert g["size_growth"] == 3.0 and isinstance(g["sublinear"], bool)
    assert _positive(g["p95_growth"]) and g["peak_rss_mb"] >= max(p["rss_mb"] for p in g["points"])
    alone = g["lexical_alone"]
    assert alone["chunks"] == 3000 and _positive(alone["build"]["disk_mb"])
    assert alone["read"]["lexical_steps"]["n"] == 6 and _positive(alone["read"]["after_queries"]["mapped_mb"])

    c = result["coldstart"]
    assert _positive(c["ask_s"]) and _positive(c["ask_corpus_store_s"]) and len(c["ask_runs_s"]) == 2
    assert c["first_paint_s"] is None or _positive(c["first_paint_s"])
    assert any(i["package"] == "chromadb" for i in c["slowest_imports"])
    assert _positive(c["floor_s"]) and c["ask_over_floor"] == pytest.approx(c["ask_s"] / c["floor_s"], rel=0.01)
    assert _positive(c["ask_corpus_store_over_floor"])

    s = result["scaleout"]
    assert s["clients"] == 2
    assert _positive(s["auto_over_fixed2"])
    for key in ("alone", "clients_2", "clients_2_fixed2"):
        assert s[key]["answers"] == 2 * (1 if key == "alone" else 2)
        assert _positive(s[key]["throughput_qps"]) and 0 < s[key]["ask"]["p50_ms"] <= s[key]["ask"]["p95_ms"]

    statuses = {r["figure"]: r["status"] for r in result["goals"]}
    assert statuses["overhead: whole / raw embed"] in ("ok", "MISS")
    for figure in ("`newsqa ask` / floor", "retrieval p50: newsqa / llama-index", "ask p50 / retrieval p50"):
        assert statuses[figure] in ("ok", "MISS"), figure
    assert statuses["evidence recall@10, newsqa"] == "n/a"  # no gold evidence: never a made-up pass
    assert "overhead: whole / raw embed" in printed.out  # the table is printed


def test_skip_leaves_sections_out(tmp_path):
    out = tmp_path / "out"
    code = main(
        [
            "bench",
            "--quick",
            "--synthetic",
            "--out",
            str(out),
            "--workdir",
            str(tmp_path / "work"),
            "--skip",
            "ingest,extraction,peers,growth,coldstart,scaleout",
            "--questions",
            "2",
        ]
    )
    assert code == 0
    result = json.loads((out / "bench.json").read_text())
    assert result["skipped"] == ["coldstart", "extraction", "growth", "ingest", "peers", "scaleout"]
    assert set(result) >= {"meta", "queries", "goals"} and "ingest" not in result
    assert result["queries"]["retrieval"]["n"] == 2


def test_bad_options_are_one_line_errors(capsys):
    assert main(["bench", "--skip", "warp"]) == 1
    assert main(["bench", "--scale", "10k"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        (
            "error: --skip: unknown section 'warp' "
            "(known: ingest, extraction, queries, peers, growth, coldstart, scaleout)"
        ),
        "error: --scale: not a comma-separated list of chunk counts: '10k'",
    ]


def test_percentiles():
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([0, 10], 95) == pytest.approx(9.5)
    summary = latency_summary([0.010, 0.020, 0.030, 0.040])
    assert summary["n"] == 4 and summary["p50_ms"] == 25.0 and summary["p95_ms"] == pytest.approx(38.5)


def test_ratio_goals_fail_when_newsqa_falls_behind():
    """The gates judge ratios: a newsqa twice as slow as llama-index, with recall below the
    floor, or an ask far above its retrieval, is a MISS; the same figures within goals pass."""
    from evals.bench.report import goal_rows

    def statuses(ratio: float, recall: float, ask_ratio: float, over_floor: float) -> dict:
        result = {
            "queries": {"ask_over_retrieval_p50": ask_ratio},
            "peers": {
                "ratios": {"llama_index": {"retrieval_p50": ratio}},
                "newsqa": {"evidence_recall@10": recall},
                "llama_index": {"evidence_recall@10": 0.52},
            },
            "coldstart": {"ask_over_floor": over_floor},
        }
        return {r["figure"]: r["status"] for r in goal_rows(result)}

    good = statuses(1.2, 0.76, 1.8, 1.3)
    bad = statuses(2.0, 0.70, 2.5, 1.9)
    for figure in (
        "retrieval p50: newsqa / llama-index",
        "evidence recall@10, newsqa",
        "ask p50 / retrieval p50",
        "`newsqa ask` / floor",
    ):
        assert (good[figure], bad[figure]) == ("ok", "MISS"), figure
