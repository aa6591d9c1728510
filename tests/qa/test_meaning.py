"""The meaning check: a claim against its best-aligned source sentence."""

from __future__ import annotations

import pytest

from qa.meaning import contradiction

SOURCE = "The central bank raised interest rates in March, and inflation fell to 3% after the decision."


@pytest.mark.parametrize(
    "claim",
    [
        SOURCE,
        "The central bank raised interest rates in March.",  # the first half only
        "The central bank raised interest rates in March, and inflation fell to 3%",
        "Inflation fell to 3% after the decision",
    ],
)
def test_what_the_source_says_is_not_contradicted(claim):
    assert contradiction(claim, SOURCE) is None


@pytest.mark.parametrize(
    ("claim", "cue"),
    [
        ("The central bank did not raise interest rates in March.", "not"),
        ("The central bank didn't raise interest rates in March.", "not"),
        ("The central bank never raised interest rates in March.", "never"),
        ("The central bank failed to raise interest rates in March.", "failed"),
        ("The central bank ruled out raising interest rates in March.", "ruled"),
        ("The central bank denied raising interest rates in March.", "denied"),
        ("The central bank no longer raised interest rates in March.", "no"),
        ("The central bank lowered interest rates in March.", "lowered"),
        ("The central bank raised interest rates in March, and inflation rose to 3% after the decision.", "rose"),
        ("The central bank raised interest rates in March, and inflation fell to 3% before the decision.", "before"),
    ],
)
def test_a_reversed_claim_is_caught(claim, cue):
    reason = contradiction(claim, SOURCE)
    assert reason is not None and cue in reason


def test_two_reversals_cancel():
    # "not lower" where the source says "raised": the claim agrees in polarity (the words differ).
    assert contradiction("The central bank did not lower rates.", "The central bank did raise rates.") is None
    assert contradiction("The plan was not approved.", "The plan was rejected.") is None


def test_a_negation_the_source_shares_is_no_reversal():
    assert (
        contradiction("The talks did not produce a deal.", "The talks did not produce a deal, officials said.") is None
    )


def test_a_changed_number_or_name_is_caught():
    assert "2024" in contradiction("The law passed in 2024.", "The law passed in 2021.")
    assert "Biden" in contradiction("Putin met Biden in Geneva.", "Putin met Xi in Geneva.")


def test_prefix_negation_is_an_opposite():
    assert contradiction("A deal is unlikely this week.", "A deal is likely this week.") is not None
