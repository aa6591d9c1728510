"""The offline judge's rules one by one, and its agreement with the hand labels."""

from __future__ import annotations

import pytest

from evals.judges.agreement import agreement as measure_agreement
from evals.judges.agreement import load_labels
from evals.judges.offline import OfflineJudge

SOURCE = (
    "Since 2014, when Russia annexed Crimea, tensions have escalated significantly, culminating in a "
    "full-scale invasion by Russia in 2022. Steve Witkoff, Trump's special envoy, has been pivotal in advancing "
    "these peace negotiations, having conducted talks in Moscow."
)


@pytest.fixture(scope="module")
def judge(embedder):
    return OfflineJudge(embedder)


@pytest.mark.parametrize(
    ("claim", "supported", "method"),
    [
        ("Russia annexed Crimea, tensions have escalated", True, "verbatim"),
        ("RUSSIA  annexed crimea, Tensions have escalated.", True, "verbatim"),
        ("Witkoff conducted talks in Moscow.", True, "lexical"),
        ("Russia annexed Crimea in 2016.", False, "none"),  # a number the source does not hold
        ("Steve Witkoff conducted talks in Washington.", False, "none"),  # a name it does not hold
        ("Russia did not annex Crimea in 2014.", False, "none"),  # negation the source lacks
        ("The Federal Reserve raised interest rates.", False, "none"),
    ],
)
def test_rules(judge, claim, supported, method):
    (v,) = judge.judge([claim], SOURCE)
    assert (v.supported, v.method) == (supported, method), v.reason


def test_one_verdict_per_claim_in_order(judge):
    verdicts = judge.judge(["Witkoff conducted talks in Moscow.", "Bananas are yellow.", ""], SOURCE)
    assert [v.supported for v in verdicts] == [True, False, False]
    assert judge.judge(["Anything at all."], "")[0].supported is False


def test_hand_labels_are_enough_and_balanced():
    labels = load_labels()
    assert len(labels) >= 50
    assert len({r["id"] for r in labels}) == len(labels)
    kinds = {r["label"] for r in labels}
    assert kinds == {"supported", "unsupported"}


def test_agreement_with_hand_labels(judge):
    result = measure_agreement(judge)
    assert result["n"] == len(load_labels())
    # Measured 0.885 when the thresholds were set; a drop below 0.8 means the heuristic broke.
    assert result["agreement"] >= 0.8, result["disagreements"]
