"""The bench's table (figure, goal, status) and its JSON file."""

from __future__ import annotations

import json
from pathlib import Path

# (section, label, path into the section, comparison, goal, unit)
GOALS = (
    ("ingest", "articles/s", ("articles_per_s",), None, None, ""),
    ("ingest", "chunks/s", ("chunks_per_s",), None, None, ""),
    ("ingest", "raw embedder tokens/s", ("raw_tokens_per_s",), None, None, ""),
    ("ingest", "overhead: whole / raw embed", ("overhead_ratio",), "<=", 1.10, "x"),
    ("ingest", "peak RSS", ("peak_rss_mb",), "<=", 1024, "MB"),
    ("ingest", "re-ingest, nothing changed", ("reingest_unchanged_s",), None, None, "s"),
    ("extraction", "HTML extraction pages/s", ("pages_per_s",), None, None, ""),
    ("extraction", "embedding the same pages, pages/s", ("embed_pages_per_s",), None, None, ""),
    ("extraction", "extraction share of extract + embed", ("extraction_share",), "<=", 0.5, ""),
    ("queries", "retrieval p50", ("retrieval", "p50_ms"), None, None, "ms"),
    ("queries", "retrieval p95", ("retrieval", "p95_ms"), None, None, "ms"),
    ("queries", "extractive ask p50", ("ask", "p50_ms"), None, None, "ms"),
    ("queries", "extractive ask p95", ("ask", "p95_ms"), None, None, "ms"),
    ("queries", "ask p50 / retrieval p50", ("ask_over_retrieval_p50",), "<=", 2.0, "x"),
    ("peers", "retrieval p50: newsqa / llama-index", ("ratios", "llama_index", "retrieval_p50"), "<=", 1.5, "x"),
    ("peers", "evidence recall@10, newsqa", ("newsqa", "evidence_recall@10"), ">=", 0.74, ""),
    ("peers", "evidence recall@10, llama-index", ("llama_index", "evidence_recall@10"), None, None, ""),
    ("growth", "retrieval p95: largest / smallest", ("p95_growth",), "<=", 2.0, "x"),
    ("growth", "peak RSS", ("peak_rss_mb",), "<=", 3072, "MB"),
    ("coldstart", "`newsqa ask` fresh process", ("ask_s",), None, None, "s"),
    ("coldstart", "floor: import chromadb + model load", ("floor_s",), None, None, "s"),
    ("coldstart", "`newsqa ask` / floor", ("ask_over_floor",), "<=", 1.5, "x"),
    ("coldstart", "`newsqa ask`, corpus store", ("ask_corpus_store_s",), None, None, "s"),
    ("coldstart", "chat first paint", ("first_paint_s",), "<=", 0.5, "s"),
    ("scaleout", "N clients throughput: automatic / fixed 2 threads", ("auto_over_fixed2",), ">=", 1.0, "x"),
)

PEER_NAMES = {"newsqa": "newsqa", "llama_index": "llama-index (vanilla)", "chroma": "bare Chroma", "bm25s": "bm25s"}


def _get(section: dict, path: tuple[str, ...]):
    value = section
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def goal_rows(result: dict) -> list[dict]:
    rows = []
    for section, label, path, op, goal, unit in GOALS:
        if section not in result:
            continue
        value = _get(result[section], path)
        status = "-"
        if value is None:
            status = "n/a"
        elif op == "<=":
            status = "ok" if value <= goal else "MISS"
        elif op == ">=":
            status = "ok" if value >= goal else "MISS"
        rows.append(
            {
                "section": section,
                "figure": label,
                "value": value,
                "unit": unit,
                "goal": None if op is None else f"{op} {goal}",
                "status": status,
            }
        )
    for p in result.get("growth", {}).get("points", []):
        for kind in ("retrieval", "dense"):
            rows.append(
                {
                    "section": "growth",
                    "figure": f"{kind} p95 @ {p['chunks']:,} chunks",
                    "value": p[kind]["p95_ms"],
                    "unit": "ms",
                    "goal": None,
                    "status": "-",
                }
            )
        rows.append(
            {
                "section": "growth",
                "figure": f"disk / RSS @ {p['chunks']:,} chunks",
                "value": f"{p['disk_mb']} / {p['rss_mb']}",
                "unit": "MB",
                "goal": None,
                "status": "-",
            }
        )
    alone = result.get("growth", {}).get("lexical_alone")
    if alone:
        read, n = alone["read"], f"{alone['chunks']:,}"
        for figure, value, unit in (
            (f"lexical alone @ {n}: steps p95", read["lexical_steps"]["p95_ms"], "ms"),
            (
                f"lexical alone @ {n}: reader private / mapped RSS",
                f"{read['after_queries']['private_mb']} / {read['after_queries']['mapped_mb']}",
                "MB",
            ),
            (
                f"lexical alone @ {n}: build peak RSS / disk",
                f"{alone['build']['peak_rss_mb']} / {alone['build']['disk_mb']}",
                "MB",
            ),
        ):
            rows.append(
                {"section": "growth", "figure": figure, "value": value, "unit": unit, "goal": None, "status": "-"}
            )
    scale = result.get("scaleout", {})
    for key in [k for k in scale if k == "alone" or k.startswith("clients_")]:
        who = "1 client" if key == "alone" else f"{scale['clients']} clients"
        if key.endswith("_fixed2"):
            who += ", 2 threads each (fixed)"
        rows.append(
            {
                "section": "scaleout",
                "figure": f"throughput, {who}",
                "value": scale[key]["throughput_qps"],
                "unit": "q/s",
                "goal": None,
                "status": "-",
            }
        )
        rows.append(
            {
                "section": "scaleout",
                "figure": f"ask p95, {who}",
                "value": scale[key]["ask"]["p95_ms"],
                "unit": "ms",
                "goal": None,
                "status": "-",
            }
        )
    order = {name: i for i, name in enumerate(dict.fromkeys(g[0] for g in (*GOALS, ("scaleout",))))}
    return sorted(rows, key=lambda r: order.get(r["section"], len(order)))


def table(rows: list[dict]) -> str:
    def fmt(v) -> str:
        if v is None:
            return "n/a"
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
        return str(v)

    lines = [("section", "figure", "value", "goal", "status")]
    lines += [
        (r["section"], r["figure"], f"{fmt(r['value'])} {r['unit']}".strip(), r["goal"] or "", r["status"])
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(5)]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def peer_table(peers: dict) -> str:
    """newsqa beside each peer: latency, recall, ingest, and newsqa's ratio to the peer."""

    def num(v, unit: str = "") -> str:
        return "n/a" if v is None else f"{v:,.3f}{unit}" if abs(v) < 10 else f"{v:,.1f}{unit}"

    head = ("system", "p50 ms", "p95 ms", "recall@10", "ingest s", "ingest RSS MB", "newsqa/peer p50", "p95")
    lines = [head]
    for name, label in PEER_NAMES.items():
        row, ratio, ingest = peers[name], peers["ratios"].get(name, {}), peers[name].get("ingest", {})
        lines.append(
            (
                label,
                num(row["retrieval"]["p50_ms"]),
                num(row["retrieval"]["p95_ms"]),
                num(row["evidence_recall@10"]),
                num(ingest.get("seconds")),
                num(ingest.get("peak_rss_mb")),
                "-" if name == "newsqa" else num(ratio.get("retrieval_p50"), "x"),
                "-" if name == "newsqa" else num(ratio.get("retrieval_p95"), "x"),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    n, ev = peers["questions"], peers["with_evidence"]
    out.append(f"({n} questions, {ev} with gold evidence; top 10 each; interleaved in one process)")
    return "\n".join(out)


def write_json(result: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "bench.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return path
