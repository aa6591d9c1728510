"""Answer correctness after normalisation."""

from __future__ import annotations

import pytest

from evals.metrics.answers import is_correct, normalise


def test_normalise_case_punctuation_articles_and_yes_no_variants():
    assert normalise("The  Sam Bankman-Fried!") == "sam bankman fried"
    assert normalise("True.") == "yes" and normalise("FALSE") == "no" and normalise("Yes") == "yes"
    assert normalise("An apple [2], a pear") == "apple pear"


@pytest.mark.parametrize(
    ("gold", "answer", "answered", "expected"),
    [
        ("Yes", "Yes. The article says so [1].", True, True),
        ("yes", "True, it did [1].", True, True),
        ("No", "No, it did not [1].", True, True),
        ("no", "Yes, it did [1].", True, False),
        ("No", "The report notes no such thing [1].", True, False),  # "no" not as the verdict
        ("Sam Bankman-Fried", "It was sam bankman fried, per The Verge [2].", True, True),
        ("Google", "Alphabet's unit [1].", True, False),
        ("Google", "Google did [1].", False, False),  # refused answers are wrong
        ("Yes", "", True, False),  # an empty answer
        (None, "Anything.", True, None),
        ("", "Anything.", True, None),
    ],
)
def test_is_correct(gold, answer, answered, expected):
    assert is_correct(gold, answer, answered) is expected
