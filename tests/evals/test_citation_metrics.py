"""ALCE citation recall/precision, verbatim share and faithfulness, with the offline judge on
the seed article (real MiniLM), on hand-made answers."""

from __future__ import annotations

from dataclasses import replace

import pytest

from evals.judges.offline import OfflineJudge
from evals.metrics.citations import citation_metrics, verbatim_share
from evals.metrics.faithfulness import faithfulness
from qa.models import Citation

CONDITIONS = (
    "They include the complete withdrawal of foreign military assistance to Ukraine, and the recognition of "
    "Russia's territorial gains in the conflict"
)
WITKOFF = "Steve Witkoff, Trump's special envoy, has been pivotal in advancing these peace negotiations"
OFF_TOPIC = "The Federal Reserve raised interest rates by a quarter point."


@pytest.fixture(scope="module")
def judge(embedder):
    return OfflineJudge(embedder)


@pytest.fixture(scope="module")
def passages(hits):
    """Citation number -> passage: [1] holds the conditions, [2] holds Witkoff, [3] holds neither."""

    def holding(text):
        return next(h.chunk.text for h in hits if text in h.chunk.text)

    p1, p2 = holding(CONDITIONS), holding(WITKOFF)
    p3 = next(h.chunk.text for h in hits if CONDITIONS not in h.chunk.text and WITKOFF not in h.chunk.text)
    return {1: p1, 2: p2, 3: p3}


def test_every_statement_supported_by_its_own_citation(judge, passages):
    m = citation_metrics(f"{CONDITIONS} [1]. {WITKOFF} [2].", passages, judge)
    assert (m["recall"], m["precision"]) == (1.0, 1.0)


def test_no_citations_at_all(judge, passages):
    m = citation_metrics(f"{CONDITIONS}. {WITKOFF}.", passages, judge)
    assert (m["recall"], m["precision"]) == (0.0, 0.0)
    assert {s["method"] for s in m["statements"]} == {"no citation"}


def test_a_citation_of_a_missing_source(judge, passages):
    m = citation_metrics(f"{CONDITIONS} [1]. {WITKOFF} [9].", passages, judge)
    assert m["recall"] == 0.5 and m["precision"] == 0.5
    assert m["statements"][1]["method"] == "cites a missing source"


def test_a_wrong_citation_is_neither_recall_nor_precision(judge, passages):
    m = citation_metrics(f"{WITKOFF} [3].", passages, judge)
    assert (m["recall"], m["precision"]) == (0.0, 0.0)


def test_an_irrelevant_extra_citation_costs_precision_only(judge, passages):
    m = citation_metrics(f"{CONDITIONS} [1][3].", passages, judge)
    assert m["recall"] == 1.0 and m["precision"] == 0.5
    assert m["statements"][0]["irrelevant"] == [3]


def test_a_claim_no_source_holds(judge, passages):
    m = citation_metrics(f"{OFF_TOPIC} [1]", passages, judge)
    assert (m["recall"], m["precision"]) == (0.0, 0.0)


@pytest.mark.parametrize("text", ["", "   ", "The indexed articles don't say.", "Yes."])
def test_nothing_to_check_is_null_not_zero(judge, passages, text):
    m = citation_metrics(text, passages, judge)
    assert m["recall"] is None and m["precision"] is None


def test_verbatim_share_checks_quotes_against_the_body(article):
    start = article.body.index(WITKOFF)
    good = Citation(1, article.doc_id, "t", None, None, None, WITKOFF, start, start + len(WITKOFF))
    shifted = replace(good, n=2, char_start=start + 1, char_end=start + 1 + len(WITKOFF))
    missing = replace(good, n=3, doc_id="gone")
    body_of = {article.doc_id: article.body}.get
    assert verbatim_share([good], body_of) == 1.0
    assert verbatim_share([good, shifted, missing], body_of) == pytest.approx(1 / 3)
    assert verbatim_share([], body_of) is None


def test_faithfulness_counts_supported_claims_over_all_retrieved_context(judge, hits):
    context = [h.chunk.text for h in hits]
    assert faithfulness(f"{CONDITIONS} [4]. {WITKOFF}.", context, judge)["faithfulness"] == 1.0
    m = faithfulness(f"{CONDITIONS} [1]. {OFF_TOPIC} [1]", context, judge)
    assert m["faithfulness"] == 0.5 and [c["supported"] for c in m["claims"]] == [True, False]
    assert faithfulness("Steve Witkoff held talks in Kyiv [1].", context, judge)["faithfulness"] == 0.0


def test_faithfulness_edges(judge, hits):
    assert faithfulness("", [h.chunk.text for h in hits], judge)["faithfulness"] is None
    assert faithfulness("The indexed articles don't say.", [h.chunk.text for h in hits], judge)["faithfulness"] is None
    assert faithfulness(f"{WITKOFF}.", [], judge)["faithfulness"] == 0.0


def test_statements_split_at_full_stops_and_markers():
    from evals.metrics.claims import statements

    got = statements(
        "Yes. Putin wants X [1]. It rose [2][3] 🫡 — Sam (@sama) November 17, 2023 [4] "
        "Then it fell. [5] Nothing found? No."
    )
    assert [(s.text, s.cited) for s in got] == [
        ("Putin wants X.", (1,)),
        ("It rose", (2, 3)),
        ("🫡 — Sam (@sama) November 17, 2023", (4,)),
        ("Then it fell.", (5,)),
        ("Nothing found?", ()),
    ]
