"""`newsqa eval --claims`: how well the citation check tells supported claims from falsified ones.

Each claim is written as the answer sentence "<claim> [1]." and checked by qa.citecheck (the
code every answer goes through) against one window of its cited article, cut as retrieval cuts
it (qa/windows.py over the article's own chunks): the window around the claim's offset ``at``,
or, when ``at`` is null (a claim cited to another article), the article's window sharing the
most words with the claim. The claim set is JSONL, one claim a line:
``{"id", "kind", "label": "supported"|"unsupported", "claim", "doc_id", "at": int|null}``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from index.chunking import chunk_article
from index.errors import InputError
from index.models import Article, Chunk
from qa.models import Hit
from qa.support import content_words, stems
from qa.windows import Windows

LABELS = ("supported", "unsupported")


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    label: str
    claim: str
    doc_id: str
    at: int | None


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    accepted: bool
    reason: str


def load_claims(path: Path, warn: Callable[[str], None]) -> list[Claim]:
    """The claims of a JSONL file; a bad line is named in one warning and skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"claims {path}: cannot read ({exc.__class__.__name__})") from None
    out = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            claim = Claim(
                id=str(row.get("id") or f"line-{no}"),
                kind=str(row.get("kind") or "unknown"),
                label=row["label"],
                claim=row["claim"],
                doc_id=row["doc_id"],
                at=row.get("at"),
            )
            if claim.label not in LABELS or not isinstance(claim.claim, str) or not claim.claim.strip():
                raise ValueError
            if claim.at is not None and (not isinstance(claim.at, int) or isinstance(claim.at, bool) or claim.at < 0):
                raise ValueError
        except (ValueError, KeyError, TypeError, AttributeError):
            warn(
                f"claims {path} line {no}: expected "
                '{"label": supported|unsupported, "claim", "doc_id", "at"}; skipped'
            )
            continue
        out.append(claim)
    if not out:
        raise InputError(f"claims {path}: no valid claim")
    return out


class _ChunkRows:
    """The shape qa.windows reads from the lexical index, for one article's chunks."""

    def __init__(self, chunks: list[Chunk]):
        self.doc_id = chunks[0].doc_id if chunks else ""
        self.ordinals = [c.ordinal for c in chunks]
        self.spans = [(c.char_start, c.char_end) for c in chunks]

    def doc_of(self, row: int) -> str:
        return self.doc_id

    def row_at(self, doc_id: str, ordinal: int) -> int | None:
        if doc_id != self.doc_id:
            return None
        return next((row for row, o in enumerate(self.ordinals) if o == ordinal), None)


def window_hit(article: Article, claim: Claim, chunk_chars: int, width: int) -> Hit:
    """The retrieved-size window of ``article`` a check of ``claim`` sees, as a hit."""
    chunks = chunk_article(article, target_chars=chunk_chars)
    rows = _ChunkRows(chunks)
    windows = Windows(rows, width, per_doc=1)
    if claim.at is not None:
        row = next((i for i, c in enumerate(chunks) if c.char_start <= claim.at < c.char_end), len(chunks) - 1)
        (w,) = windows.choose([[row]], 1, {})
    else:
        words = content_words(claim.claim)
        best = None
        for row in range(len(chunks)):
            (w,) = windows.choose([[row]], 1, {})
            have = stems(article.body[w.start : w.end])
            shared = sum(1 for word in words if any(s in have for s in stems(word)))
            if best is None or shared > best[0]:
                best = (shared, w)
        if best is None:
            raise ValueError(f"{article.doc_id}: the article has no text to check a claim against")
        w = best[1]
    chunk = Chunk(f"{article.doc_id}@{w.start}", article.doc_id, w.lo, article.body[w.start : w.end], w.start, w.end)
    return Hit(chunk=chunk, meta=article.meta, score=1.0)


def check_claims(
    claims: Iterable[Claim],
    articles: dict[str, Article],
    embedder,
    *,
    chunk_chars: int,
    width: int,
    warn: Callable[[str], None],
    on_done: Callable[[int], None] = lambda n: None,
) -> list[ClaimResult]:
    from qa.citecheck import check_citations

    out = []
    for claim in claims:
        article = articles.get(claim.doc_id)
        if article is None or not article.body.strip():
            warn(f"claim {claim.id}: article {claim.doc_id} is not in the corpus; skipped")
            continue
        hit = window_hit(article, claim, chunk_chars, width)
        text = claim.claim.strip().rstrip(".") + " [1]."
        checked = check_citations(text, [hit], embedder)
        # A claim of several sentences is accepted when every one of them is supported.
        failed = [s for s in checked.sentences if not s.supported]
        accepted = bool(checked.sentences) and not failed
        out.append(ClaimResult(claim, accepted, failed[0].reason if failed else ""))
        on_done(len(out))
    return out


def summarise_claims(results: list[ClaimResult]) -> dict:
    """Per kind, the share accepted as supported; overall, the balanced accuracy (the mean of the
    share of supported claims accepted and the share of unsupported claims rejected)."""
    by_kind: dict[str, list[ClaimResult]] = defaultdict(list)
    for r in results:
        by_kind[r.claim.kind].append(r)
    pos = [r for r in results if r.claim.label == "supported"]
    neg = [r for r in results if r.claim.label == "unsupported"]
    rates = []
    if pos:
        rates.append(sum(r.accepted for r in pos) / len(pos))
    if neg:
        rates.append(sum(not r.accepted for r in neg) / len(neg))
    return {
        "claims": {
            "n": len(results),
            "balanced_accuracy": round(sum(rates) / len(rates), 4) if rates else None,
            "by_kind": {
                kind: {
                    "n": len(rs),
                    "label": rs[0].claim.label,
                    "accepted": round(sum(r.accepted for r in rs) / len(rs), 4),
                }
                for kind, rs in sorted(by_kind.items())
            },
        }
    }


def summary_lines(metrics: dict) -> list[str]:
    m = metrics["claims"]
    lines = [f"{'kind':<16}{'n':>6}  {'label':<12}{'accepted':>9}"]
    for kind, row in m["by_kind"].items():
        lines.append(f"{kind:<16}{row['n']:>6}  {row['label']:<12}{row['accepted']:>9.3f}")
    ba = m["balanced_accuracy"]
    lines.append(f"{'all':<16}{m['n']:>6}  balanced accuracy {'-' if ba is None else f'{ba:.3f}'}")
    return lines
