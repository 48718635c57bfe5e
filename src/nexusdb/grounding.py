"""Grounding: a source's text as segments, and finding a quote in it.

Every writer of claims (the seeder, the repositories, and through them the CLI and any
other front-end) segments texts and locates quotes here, so a quote is accepted or
refused by the same rules wherever it comes from. Which grounding a source allows (a
quote of its text, a dataset record) is decided here too, for the same reason.

Offsets are 0-based, half-open, in Unicode code points (Python's str indices), into the
text exactly as the file holds it.
"""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A line of at least this many words is running text; shorter lines are headings,
# bylines and page furniture.
PARAGRAPH_MIN_WORDS = 20

_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Segment:
    ordinal: int
    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Span:
    segment: Segment
    start: int
    end: int


class QuoteNotFoundError(ValueError):
    pass


# The source kind whose claims rest on a record of the dataset rather than on quoted
# words: a record id can be checked in the release, nothing else's can.
DATASET_KIND = "dataset"

QUOTE, RECORD = "quote", "record"


def allowed_groundings(kind: str, *, has_text: bool) -> tuple[str, ...]:
    """How a claim of a source of this kind can be grounded: by a quote when the source
    has text, by a dataset record when it is a dataset; a source with neither grounds
    no claim (yet)."""
    return tuple(
        grounding
        for grounding, possible in ((QUOTE, has_text), (RECORD, kind == DATASET_KIND))
        if possible
    )


_ALLOWS = {
    (): "it grounds no claim until its text is added",
    (QUOTE,): "its claims quote its text ('quote')",
    (RECORD,): "its claims rest on a dataset record ('record_id')",
    (QUOTE, RECORD): "its claims quote its text ('quote') or rest on a record ('record_id')",
}


def grounding_refused(source: str, kind: str, *, has_text: bool, grounding: str) -> str:
    """Why a claim of `source` cannot be grounded by `grounding` (QUOTE or RECORD, one
    that `allowed_groundings` does not list), and what the source allows instead."""
    if grounding == QUOTE:
        reason = f"source {source!r} has no text to quote from"
    else:
        reason = f"source {source!r} is a {kind}, not a {DATASET_KIND}: it has no records"
    return f"{reason}; {_ALLOWS[allowed_groundings(kind, has_text=has_text)]}"


def split_segments(text: str) -> list[Segment]:
    """One segment per non-blank line, without its surrounding whitespace."""
    segments: list[Segment] = []
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        kind = "paragraph" if len(stripped.split()) >= PARAGRAPH_MIN_WORDS else "heading"
        segments.append(Segment(len(segments) + 1, kind, start, start + len(stripped), stripped))
    return segments


def _occurrences(text: str, quote: str) -> list[int]:
    found: list[int] = []
    position = text.find(quote)
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


# Matching runs shorter than this are chance (a shared letter), not the quote's words.
ALIGNED_RUN = 3


def _aligned_passage(text: str, quote: str, anchor: difflib.Match) -> str:
    """The stretch of `text` that `quote` was meant to copy: from where the quote's first
    matching words fall to where its last ones do, so a word changed, added or dropped
    does not shift the passage shown."""
    window_start = max(anchor.a - anchor.b - len(quote), 0)
    window = text[window_start : anchor.a - anchor.b + 2 * len(quote)]
    blocks = [
        block
        for block in difflib.SequenceMatcher(
            None, window, quote, autojunk=False
        ).get_matching_blocks()
        if block.size >= ALIGNED_RUN
    ]
    if not blocks:
        start = max(anchor.a - anchor.b, 0)
        return text[start : start + len(quote)]
    first, last = blocks[0], blocks[-1]
    start = max(first.a - first.b, 0)
    end = last.a + last.size + (len(quote) - last.b - last.size)
    return window[start:end]


def _nearest(quote: str, segments: list[Segment]) -> str:
    """Where the quote most nearly appears, and the first place where it differs."""
    best_size, best_segment, best_match = 0, segments[0], difflib.Match(0, 0, 0)
    for segment in segments:
        matcher = difflib.SequenceMatcher(None, segment.text, quote, autojunk=False)
        match = matcher.find_longest_match(0, len(segment.text), 0, len(quote))
        if match.size > best_size:
            best_size, best_segment, best_match = match.size, segment, match
    passage = _aligned_passage(best_segment.text, quote, best_match)
    nearest = f"nearest passage in paragraph {best_segment.ordinal}: {passage!r}"
    operations = difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    for operation, quote_start, quote_end, passage_start, passage_end in operations:
        if operation != "equal":
            return (
                f"{nearest}; first difference at character {quote_start + 1}: quote has"
                f" {quote[quote_start:quote_end]!r}, source has"
                f" {passage[passage_start:passage_end]!r}"
            )
    return nearest


def locate_quote(
    text: str, segments: list[Segment], quote: str, occurrence: int | None = None
) -> Span:
    """The span of `quote` in `text`; QuoteNotFoundError says why not, for the curator to fix."""
    found = _occurrences(text, quote)
    if not found:
        raise QuoteNotFoundError(f"quote not found in the source; {_nearest(quote, segments)}")
    if occurrence is None and len(found) > 1:
        raise QuoteNotFoundError(
            f"quote occurs {len(found)} times in the source; add 'occurrence: N' "
            f"(1 to {len(found)}) or quote more words"
        )
    index = (occurrence or 1) - 1
    if index >= len(found):
        raise QuoteNotFoundError(
            f"occurrence {occurrence} asked for, but the quote occurs {len(found)} time(s)"
        )
    start = found[index]
    end = start + len(quote)
    for segment in segments:
        if segment.start <= start and end <= segment.end:
            return Span(segment, start, end)
    raise QuoteNotFoundError("quote spans more than one paragraph; quote within one paragraph")


def layout(segments: Sequence[Segment]) -> str:
    """A source's stored paragraphs laid out at their offsets, line breaks between them:
    a span found in this text is the same span in the original text."""
    pieces: list[str] = []
    for piece in sorted(segments, key=lambda segment: segment.start):
        pieces.append("\n" * (piece.start - sum(map(len, pieces))))
        pieces.append(piece.text)
    return "".join(pieces)


def locate_in_segments(
    segments: Sequence[Segment], quote: str, occurrence: int | None = None
) -> Span:
    """Find a quote in a source's stored paragraphs, as if in its whole text."""
    pieces = sorted(segments, key=lambda segment: segment.start)
    return locate_quote(layout(pieces), pieces, quote, occurrence)
