"""Caption pages: cues wrapped to the box, split into max_lines pages over their window,
word highlights placed on the wrapped lines, overlapping cues, soft subtitle cues."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition.captions import caption_pages, subtitle_cues
from shared.composition.cues import Cue
from shared.composition.spec import CaptionsElement
from shared.composition.text import bundled_font, text_width

FONT = bundled_font()


def pages(*cues: dict[str, Any], width: float | None = 60, max_lines: int = 1) -> Any:
    return caption_pages([Cue.model_validate(cue) for cue in cues], font_file=FONT,
                         font_size=12, line_spacing=1.2, max_width=width, max_lines=max_lines)


def test_pages_share_the_window_in_proportion_to_their_characters() -> None:
    [first, second] = pages({"start": 1, "end": 4, "text": "aaaa bbbbbbbb"}, width=70)
    assert (first.layout.lines, second.layout.lines) == (("aaaa",), ("bbbbbbbb",))
    assert (first.start, first.end, second.start, second.end) == pytest.approx((1, 2, 2, 4))


def test_with_word_timings_a_page_starts_with_its_first_word() -> None:
    words = [{"start": 0, "end": 0.5, "text": "aaaa"}, {"start": 2.5, "end": 3, "text": "bb"}]
    [first, second] = pages({"start": 0, "end": 3, "text": "aaaa bb", "words": words}, width=30)
    assert (first.end, second.start) == (2.5, 2.5)
    assert [(h.line, h.text, h.start, h.end) for h in first.highlights] == [(0, "aaaa", 0, 0.5)]
    assert [(h.line, h.text, h.start, h.end) for h in second.highlights] == [(0, "bb", 2.5, 3)]


def test_a_highlighted_word_is_found_at_its_offset_on_the_wrapped_line() -> None:
    words = [{"start": 0, "end": 1, "text": "one"}, {"start": 1, "end": 2, "text": "two"},
             {"start": 2, "end": 3, "text": "three"}]
    [page] = pages({"start": 0, "end": 3, "text": "one  two\nthree", "words": words},
                   width=None, max_lines=2)
    assert page.layout.lines == ("one two", "three")
    placed = [(h.line, h.text, h.offset) for h in page.highlights]
    assert placed == [(0, "one", 0.0), (0, "two", pytest.approx(text_width("one ", FONT, 12))),
                      (1, "three", 0.0)]


def test_a_word_cut_across_lines_is_highlighted_in_pieces() -> None:
    long_word = "x" * 30
    words = [{"start": 0, "end": 1, "text": long_word}]
    [page] = pages({"start": 0, "end": 1, "text": long_word, "words": words}, width=80,
                   max_lines=5)
    assert len(page.layout.lines) > 1
    assert "".join(h.text for h in page.highlights) == long_word
    assert [h.line for h in page.highlights] == list(range(len(page.layout.lines)))


def test_an_overlapped_cue_ends_when_the_next_starts() -> None:
    found = pages({"start": 2, "end": 3, "text": "later"},
                  {"start": 0, "end": 2.5, "text": "first"}, width=None)
    assert [(p.layout.lines, p.start, p.end) for p in found] == [
        (("first",), 0, 2), (("later",), 2, 3)]


def test_soft_cues_move_to_the_timeline_and_stop_at_the_elements_end() -> None:
    element = CaptionsElement.model_validate({"type": "captions", "cues": [
        {"start": 0.5, "end": 1.5, "text": "a   b\n\nc"}, {"start": 3, "end": 4, "text": "gone"}]})
    cues = subtitle_cues(element, start=2, end=3.2)
    assert [(c.start, c.end, c.text) for c in cues] == [(2.5, 3.2, "a b\nc")]
