"""Questions and output at the edges (issue #14): dates outside the calendar name no window,
and nothing newsqa prints carries a control, bidi mark or lone surrogate to the terminal.

The question parser is fuzzed too: any text, with any newest-article date the store may hold
(year 1 to 9999), gives windows or none, never an error."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from qa.query_analysis import OutletMatcher, date_windows, search_text, split_parts
from qa.terminal import json_safe, one_line, safe

YEAR_1 = -62135596800  # 0001-01-01T00:00:00Z
YEAR_9999 = 253402300799  # 9999-12-31T23:59:59Z


@pytest.mark.parametrize("newest", [YEAR_1, YEAR_1 + 86_400 * 20, YEAR_9999, None])
@pytest.mark.parametrize(
    "question",
    [
        "What happened in March 0000?",
        "What happened last year?",
        "And last month?",
        "yesterday?",
        "What was said on 0000-01-01 or 9999-12-31 or 31 December 9999?",
        "past 999 months",
        "January 0001",
        "this year",
        "recently",
        "on 29 February 2023",
    ],
)
def test_impossible_and_edge_dates_name_no_window_or_a_real_one(question, newest):
    for first, last in date_windows(question, newest):
        assert first <= last


def test_a_date_outside_the_calendar_is_ignored_not_fatal():
    assert date_windows("What happened in March 0000?", YEAR_9999) == []
    assert date_windows("What happened last year?", YEAR_1) == []
    assert date_windows("What happened last month?", YEAR_1) == []
    assert date_windows("in March 2024", YEAR_1)  # real dates still count


WORDS = [
    "March",
    "0000",
    "0001",
    "9999",
    "last",
    "past",
    "year",
    "month",
    "week",
    "days",
    "today",
    "yesterday",
    "recently",
    "the",
    "Verge",
    "BBC",
    "News",
    "according to",
    ",",
    "while",
    "and",
    "2024-02-30",
    "31st",
    "of",
    "May",
    "99",
    "999",
]
questions = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=25).map(" ".join)


@hsettings(max_examples=400, deadline=None)
@given(question=questions, newest=st.one_of(st.none(), st.integers(YEAR_1, YEAR_9999)))
def test_the_question_parser_never_raises(question, newest):
    matcher = OutletMatcher(["The Verge", "BBC News", "TechCrunch", "The Age"])
    for first, last in date_windows(question, newest):
        assert first <= last
    search_text(question, matcher)
    split_parts(question, matcher.find(question))


HOSTILE = "a\x1b[31mb\x9bc\u202ed\u2066e\u2069f\u200eg\u200fh\u061ci\ud800j\x07k"


def test_printed_text_carries_no_controls_bidi_or_surrogates():
    for text in (safe(HOSTILE), one_line(HOSTILE)):
        text.encode("utf-8")
        assert not any(c in text for c in "\x1b\x9b\u202e\u2066\u2069\u200e\u200f\u061c\x07")


def test_json_output_escapes_what_a_terminal_would_act_on_and_keeps_the_data():
    dumped = json_safe(json.dumps({"title": HOSTILE}, ensure_ascii=False))
    dumped.encode("utf-8")
    assert not any(c in dumped for c in "\x1b\x9b\u202e\u2066\u2069\u200e\u200f\u061c\x07")
    assert json.loads(dumped) == {"title": HOSTILE}
