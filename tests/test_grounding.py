"""Segments and quote spans, in code points, on the article as published."""

import pytest

from nexusdb.grounding import QuoteNotFoundError, allowed_groundings, locate_quote, split_segments
from tests.support import SEEDS

ARTICLE = (SEEDS / "000_5e7efc4d26c7660b.txt").read_text(encoding="utf-8")
SEGMENTS = split_segments(ARTICLE)
APOSTROPHE = "\u2019"  # the article's curly apostrophe


def test_each_non_blank_line_is_a_segment_at_its_offsets() -> None:
    assert len(SEGMENTS) == 37
    assert [segment.ordinal for segment in SEGMENTS] == list(range(1, 38))
    for segment in SEGMENTS:
        assert ARTICLE[segment.start : segment.end] == segment.text
        assert segment.text == segment.text.strip()


def test_long_lines_are_paragraphs_and_short_ones_headings() -> None:
    kinds = {segment.text[:30]: segment.kind for segment in SEGMENTS}
    assert kinds["A New Era of Power Politics"] == "heading"
    assert kinds["After Republicans secured a sig"[:30]] == "paragraph"
    assert sum(segment.kind == "paragraph" for segment in SEGMENTS) == 21


def test_offsets_count_code_points_not_bytes() -> None:
    span = locate_quote(ARTICLE, SEGMENTS, "Connect with\u00a0Security Lense")
    assert span.end - span.start == len("Connect with Security Lense")
    # Curly quotes before it take three bytes each: a byte offset would be further on.
    assert len(ARTICLE[: span.start].encode("utf-8")) > span.start
    assert ARTICLE[span.start : span.end] == "Connect with\u00a0Security Lense"


def test_a_quote_found_once_gets_its_span_and_paragraph() -> None:
    quote = "Iran provided its prestigious ballistic missiles"
    span = locate_quote(ARTICLE, SEGMENTS, quote)
    assert ARTICLE[span.start : span.end] == quote
    assert span.segment.start <= span.start < span.end <= span.segment.end


def test_a_repeated_quote_needs_an_occurrence() -> None:
    with pytest.raises(QuoteNotFoundError, match="occurs 2 times"):
        locate_quote(ARTICLE, SEGMENTS, f"trump{APOSTROPHE}s second term")
    first = locate_quote(ARTICLE, SEGMENTS, f"trump{APOSTROPHE}s second term", occurrence=1)
    second = locate_quote(ARTICLE, SEGMENTS, f"trump{APOSTROPHE}s second term", occurrence=2)
    assert (first.segment.ordinal, second.segment.ordinal) == (2, 26)


def test_a_quote_with_straight_quotes_reports_the_nearest_passage_and_difference() -> None:
    with pytest.raises(QuoteNotFoundError) as raised:
        locate_quote(ARTICLE, SEGMENTS, "return of Trump's second term")
    message = str(raised.value)
    assert "nearest passage in paragraph 6" in message
    assert f"quote has \"'\", source has '{APOSTROPHE}'" in message


def test_a_quote_across_two_paragraphs_is_refused() -> None:
    with pytest.raises(QuoteNotFoundError, match="more than one paragraph"):
        locate_quote(ARTICLE, SEGMENTS, "Landscape\n\nAfter Republicans")


@pytest.mark.parametrize(
    ("quote", "difference"),
    [
        # A word replaced by a shorter one: the passage still starts where the quote does.
        ("Iran provided its famous ballistic missiles", "quote has 'fam', source has 'prestigi'"),
        ("Iran provided its prestigeous ballistic missiles", "quote has 'e', source has 'i'"),
        # A word dropped: the passage runs to the quote's last words.
        (
            "Iran provided ballistic missiles to Russia",
            "quote has '', source has ' its prestigious'",
        ),
    ],
)
def test_the_nearest_passage_lines_up_a_misquote_of_another_length(
    quote: str, difference: str
) -> None:
    text = (
        "Intro.\n\nThe depot held grain."
        " Iran provided its prestigious ballistic missiles to Russia."
    )
    with pytest.raises(QuoteNotFoundError) as raised:
        locate_quote(text, split_segments(text), quote)
    message = str(raised.value)
    passage = message.split("nearest passage in paragraph 2: ")[1].split("; first difference")[0]
    assert passage.startswith("'Iran provided its prestigious ballistic missiles")
    assert message.endswith(difference)


@pytest.mark.parametrize(
    ("kind", "has_text", "allowed"),
    [
        ("news_report", True, ("quote",)),
        ("news_report", False, ()),
        ("dataset", False, ("record",)),
        ("dataset", True, ("quote", "record")),
    ],
)
def test_a_source_grounds_quotes_with_text_and_records_as_a_dataset(
    kind: str, has_text: bool, allowed: tuple[str, ...]
) -> None:
    assert allowed_groundings(kind, has_text=has_text) == allowed
