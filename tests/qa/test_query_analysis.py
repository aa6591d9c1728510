"""What a question says about outlets and dates, read by the real matcher and date reader."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qa.query_analysis import OutletMatcher, date_windows, question_parts, split_parts

SOURCES = [
    "The Verge",
    "TechCrunch",
    "CBSSports.com",
    "The Age",
    "Fortune",
    "The Guardian",
    "FOX News - Health",
    "FOX News - Lifestyle",
    "The Roar | Sports Writers Blog",
]
NEWEST = int(datetime(2023, 12, 20, 15, 0, tzinfo=UTC).timestamp())


def ts(y, m, d, hh=0, mm=0, ss=0) -> int:
    return int(datetime(y, m, d, hh, mm, ss, tzinfo=UTC).timestamp())


@pytest.fixture(scope="module")
def matcher():
    return OutletMatcher(SOURCES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("According to The Verge, what did Apple announce?", [("The Verge",)]),
        ("what did the verge say about apple?", [("The Verge",)]),
        ("Did a Tech Crunch article cover it?", [("TechCrunch",)]),
        ("Did CBS Sports rate Wallin above Parker?", [("CBSSports.com",)]),
        ("What did 'The Age' report?", [("The Age",)]),
        ("What did The Roar say?", [("The Roar | Sports Writers Blog",)]),
        ("What did FOX News - Health say?", [("FOX News - Health",)]),
        ("Did FOX News cover it?", [("FOX News - Health", "FOX News - Lifestyle")]),
        ("Does the Guardian agree with Fortune?", [("The Guardian",), ("Fortune",)]),
    ],
)
def test_outlets_are_found_whatever_the_case_and_punctuation(matcher, text, expected):
    assert [m.sources for m in matcher.find(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Is the age of AI over?",
        "Did the startup spend a fortune on chips?",
        "Is the industry on the verge of collapse?",
    ],
)
def test_common_words_in_a_capitalised_question_are_not_outlets(matcher, text):
    assert matcher.find(text) == []


def test_dates_with_and_without_a_year():
    assert date_windows("What happened on October 7, 2023?", NEWEST) == [(ts(2023, 10, 7), ts(2023, 10, 7, 23, 59, 59))]
    assert date_windows("the report on November 27", NEWEST) == [(ts(2023, 11, 27), ts(2023, 11, 27, 23, 59, 59))]
    assert date_windows("the 3rd of December 2023", NEWEST) == [(ts(2023, 12, 3), ts(2023, 12, 3, 23, 59, 59))]
    assert date_windows("news in October 2023", NEWEST) == [(ts(2023, 10, 1), ts(2023, 10, 31, 23, 59, 59))]
    assert date_windows("published 2023-09-30", NEWEST) == [(ts(2023, 9, 30), ts(2023, 9, 30, 23, 59, 59))]
    # a month after the newest article's month without a year is last year's
    assert date_windows("reported in February", NEWEST) == [(ts(2023, 2, 1), ts(2023, 2, 28, 23, 59, 59))]
    assert date_windows("Who may win?", NEWEST) == []


def test_relative_dates_count_back_from_the_newest_article():
    assert date_windows("What happened last week?", NEWEST) == [(NEWEST - 7 * 86_400, NEWEST)]
    assert date_windows("news from yesterday", NEWEST) == [(ts(2023, 12, 19), ts(2023, 12, 19, 23, 59, 59))]
    assert date_windows("What happened last month?", NEWEST) == [(ts(2023, 11, 1), ts(2023, 11, 30, 23, 59, 59))]
    assert date_windows("in the past 3 days", NEWEST) == [(NEWEST - 3 * 86_400, NEWEST)]
    assert date_windows("What happened last week?", None) == []


def test_a_question_combining_two_outlets_is_cut_into_one_part_each(matcher):
    q = (
        "Did the article from The Verge say the threat was assessed, while the article from "
        "CBSSports.com considers Wallin a greater threat?"
    )
    parts = split_parts(q, matcher.find(q))
    assert [p[1] for p in parts] == [("The Verge",), ("CBSSports.com",)]
    assert "assessed" in parts[0][0] and "Wallin" in parts[1][0]

    q = "Does the Guardian's report on the derby agree with the Fortune article about its costs?"
    parts = split_parts(q, matcher.find(q))
    assert [p[1] for p in parts] == [("The Guardian",), ("Fortune",)]
    assert "costs" in parts[1][0]

    q = "Which company, according to 'The Age', cheats, and as per 'TechCrunch' pays, and is sued?"
    parts = split_parts(q, matcher.find(q))
    assert [p[1] for p in parts] == [("The Age",), ("TechCrunch",)]
    assert "company" in parts[0][0] and "sued" in parts[1][0]


def test_a_question_naming_one_outlet_is_not_cut(matcher):
    q = "What did The Verge say about Apple, and why?"
    assert split_parts(q, matcher.find(q)) == []


def test_outlets_listed_together_are_searched_with_the_whole_question(matcher):
    q = (
        "Which company, discussed in articles from The Verge, The Age, and TechCrunch, is accused of "
        "steering app store payments?"
    )
    parts = question_parts(q, matcher.find(q), matcher)
    assert [o for _, o in parts] == [("The Verge",), ("The Age",), ("TechCrunch",)]
    assert all("app store payments" in text for text, _ in parts)
    # a clause with words of its own keeps them
    q = "Did The Verge say the lanes opened, while TechCrunch said the council delayed the tram line?"
    parts = question_parts(q, matcher.find(q), matcher)
    assert parts[1] == ("while TechCrunch said the council delayed the tram line?", ("TechCrunch",))
    assert "tram" not in parts[0][0]


def test_one_reading_finds_outlets_dates_and_names():
    from qa.query_analysis import StoreFacts, analyse

    facts = StoreFacts(OutletMatcher(SOURCES), NEWEST)
    query = analyse("Did The Verge report on October 2, 2023 that Sam Bankman-Fried met Caroline Ellison?", facts)
    assert query.outlets == ("The Verge",)
    assert query.windows == ((ts(2023, 10, 2), ts(2023, 10, 2, 23, 59, 59)),)
    assert query.names == ("Sam Bankman-Fried", "Caroline Ellison")
    # an outlet's name is no name the question is about; "CBS Sports" is the stored "CBSSports.com"
    query = analyse("What did CBS Sports report about Anthony Joshua last week?", facts)
    assert query.outlets == ("CBSSports.com",)
    assert query.names == ("Anthony Joshua",)
    assert query.windows == ((NEWEST - 7 * 86_400, NEWEST),)


def test_an_outlet_whose_name_holds_a_date_word_names_no_date():
    from qa.query_analysis import StoreFacts, analyse

    facts = StoreFacts(OutletMatcher([*SOURCES, "Business Today | Latest Stock Market And Economy News India"]), NEWEST)
    query = analyse("What did Business Today say about the Hamas attack on Israel?", facts)
    assert query.outlets == ("Business Today | Latest Stock Market And Economy News India",)
    assert query.windows == ()
    assert query.names == ("Hamas", "Israel")
