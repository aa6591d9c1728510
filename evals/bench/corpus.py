"""What the bench runs on: the MultiHop-RAG corpus and dev questions when ``../shared`` has them,
else a synthetic corpus written to a temp dir (the report says which)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

MULTIHOP = Path(__file__).resolve().parents[2].parent / "shared" / "evals" / "multihop-rag"
DEFAULT_CORPUS = MULTIHOP / "corpus"
DEFAULT_DATASET = MULTIHOP / "dev.jsonl"

_OUTLETS = ("The Daily Ledger", "Harbor Times", "Northern Post", "City Wire", "The Courier", "Metro Herald")
_TOPICS = (
    "council",
    "budget",
    "river",
    "stadium",
    "election",
    "vaccine",
    "railway",
    "harvest",
    "festival",
    "startup",
    "court",
    "bridge",
    "museum",
    "airport",
    "school",
    "storm",
    "market",
    "reactor",
)


@dataclass(frozen=True)
class BenchData:
    corpus: Path
    questions: list[str]
    synthetic: bool
    label: str
    dataset: Path | None = None
    """The questions' file with their gold evidence (None: questions made from titles)."""


def pseudo_words(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct pronounceable nonsense words (a vocabulary for synthetic text)."""
    cons, vows = "bcdfghklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(cons) + rng.choice(vows) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def write_synthetic_corpus(directory: Path, articles: int, seed: int = 7) -> list[str]:
    """Write ``articles`` JSON news articles; returns questions that name their topics."""
    rng = random.Random(seed)
    vocab = pseudo_words(3000, rng)
    directory.mkdir(parents=True, exist_ok=True)
    questions: list[str] = []
    for i in range(articles):
        topic = _TOPICS[i % len(_TOPICS)]
        name = rng.choice(vocab).capitalize()
        outlet = _OUTLETS[i % len(_OUTLETS)]
        sentences = []
        for s in range(rng.randint(25, 60)):
            words = rng.sample(vocab, rng.randint(12, 24))
            if s % 5 == 0:
                words[rng.randrange(len(words))] = f"the {topic} of {name}"
            sentences.append(" ".join(words).capitalize() + ".")
        body = " ".join(sentences)
        day = 1 + i % 28
        record = {
            "title": f"{name} and the {topic}: report {i}",
            "source": outlet,
            "published_at": f"2023-10-{day:02d}T12:00:00Z",
            "url": f"https://example.invalid/{i}",
            "body": body,
        }
        (directory / f"synthetic-{i:05d}.json").write_text(json.dumps(record))
        questions.append(f"What did {outlet} report about the {topic} of {name}?")
    rng.shuffle(questions)
    return questions


def load_questions(dataset: Path, limit: int) -> list[str]:
    from evals.datasets import load_dataset

    return [q.question for q in load_dataset(dataset, limit=limit)]


def resolve(
    corpus: Path | None,
    dataset: Path | None,
    workdir: Path,
    n_questions: int,
    synthetic_articles: int,
    *,
    force_synthetic: bool = False,
) -> BenchData:
    """The corpus and questions to run on; falls back to synthetic data when the shared set is absent."""
    if force_synthetic:
        corpus = None
    elif corpus is None and DEFAULT_CORPUS.is_dir():
        corpus = DEFAULT_CORPUS
    if corpus is not None:
        dataset = dataset or (DEFAULT_DATASET if DEFAULT_DATASET.is_file() else None)
        if dataset is not None:
            questions = load_questions(dataset, n_questions)
        else:
            questions = _questions_from_titles(corpus, n_questions)
        return BenchData(Path(corpus), questions, False, f"corpus {corpus}", dataset)
    target = workdir / "synthetic-corpus"
    questions = write_synthetic_corpus(target, synthetic_articles)
    if dataset is not None:
        questions = load_questions(dataset, n_questions)
    return BenchData(
        target,
        questions[:n_questions],
        True,
        f"SYNTHETIC corpus of {synthetic_articles} articles "
        + ("(--synthetic)" if force_synthetic else f"({DEFAULT_CORPUS} is absent)"),
    )


def _questions_from_titles(corpus: Path, n: int) -> list[str]:
    """Questions for a corpus without a dataset: 'What happened: <title>?' from its JSON titles."""
    out = []
    for p in sorted(Path(corpus).rglob("*.json"))[: n * 3]:
        try:
            title = json.loads(p.read_text(encoding="utf-8")).get("title")
        except (OSError, ValueError, AttributeError):
            continue
        if title:
            out.append(f"What happened: {title}?")
        if len(out) >= n:
            break
    return out or ["What happened this week?"]
