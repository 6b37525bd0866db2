"""Captions: cues from a file or the spec → pages of wrapped lines, with highlight windows.

Each cue is re-wrapped to the element's box with the font the render draws with. A cue
with more lines than `max_lines` becomes consecutive pages of at most `max_lines` lines,
sharing the cue's window: a page starts when its first word is spoken (word timings) or
in proportion to the characters before it. Where cues overlap, a cue ends when the next
one starts, so one box never shows two cues on top of each other. Times are element-local.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from shared.composition.cues import Cue
from shared.composition.errors import Problem, SpecError
from shared.composition.spec import CaptionsElement, Job
from shared.composition.subtitles import (
    MAX_SUBTITLE_BYTES,
    SubtitleError,
    decode_subtitles,
    parse_subtitles,
)
from shared.composition.text import TextLayout, layout_text, text_width

__all__ = [
    "CaptionPage",
    "CaptionTrack",
    "Highlight",
    "SubtitleCue",
    "caption_pages",
    "clean_text",
    "natural_length",
    "read_capped",
    "subtitle_cues",
    "with_source_cues",
]

_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass(frozen=True)
class Highlight:
    """A (piece of a) spoken word: drawn over its line in the highlight colour."""

    line: int  # within the page
    text: str
    offset: float  # pixels from the line's left edge
    start: float
    end: float


@dataclass(frozen=True)
class CaptionPage:
    """At most max_lines lines of one cue, shown over [start, end)."""

    start: float
    end: float
    layout: TextLayout
    highlights: tuple[Highlight, ...] = ()


@dataclass(frozen=True)
class CaptionTrack:
    """What a captions layer draws: its pages, and the spoken word's colour (FFmpeg's)."""

    pages: tuple[CaptionPage, ...]
    highlight_color: str | None


@dataclass(frozen=True)
class SubtitleCue:
    """A cue of the soft subtitle stream, in composition seconds."""

    start: float
    end: float
    text: str


def natural_length(element: CaptionsElement) -> float | None:
    """The element's length when neither duration nor end is given: its last cue's end."""
    return max((cue.end for cue in element.cues), default=None) if element.cues else None


def with_source_cues(job: Job, read: Callable[[str], bytes]) -> Job:
    """The job with every captions `source` read and parsed into inline cues.

    `read` returns a source's bytes; SpecError names each bad file's element and line.
    """
    problems: list[Problem] = []
    elements = list(job.elements)
    for index, element in enumerate(job.elements):
        if not isinstance(element, CaptionsElement) or element.source is None:
            continue
        path = f"elements[{index}].source"
        try:
            data = read(element.source)
            cues = parse_subtitles(decode_subtitles(data))
        except SubtitleError as exc:
            problems.append(Problem(path, f"not a valid SRT or WebVTT file: {exc}"))
            continue
        except (OSError, ValueError) as exc:
            problems.append(Problem(path, f"cannot use source: {exc}"))
            continue
        inline = [Cue(start=cue.start, end=cue.end, text=cue.text) for cue in cues]
        elements[index] = element.model_copy(update={"cues": inline, "source": None})
    if problems:
        raise SpecError(problems)
    return job.model_copy(update={"elements": elements})


def read_capped(path: Path) -> bytes:
    """A subtitle file's bytes, refused past MAX_SUBTITLE_BYTES before it is read."""
    size = path.stat().st_size
    if size > MAX_SUBTITLE_BYTES:
        raise SubtitleError(1, f"the file has {size} bytes, more than the "
                               f"{MAX_SUBTITLE_BYTES} a subtitle file may have")
    return path.read_bytes()


def clean_text(text: str) -> str:
    """Each line's words joined by one space, empty lines dropped."""
    lines = (" ".join(line.split()) for line in _LINE_BREAK.split(text))
    return "\n".join(line for line in lines if line)


def subtitle_cues(element: CaptionsElement, start: float, end: float) -> list[SubtitleCue]:
    """The element's cues on the composition timeline, cut to its window [start, end)."""
    found = []
    for cue_start, cue_end, cue in _display_windows(element.cues or []):
        first, last = start + cue_start, min(start + cue_end, end)
        if last > first:
            found.append(SubtitleCue(first, last, clean_text(cue.text)))
    return found


def _display_windows(cues: Sequence[Cue]) -> list[tuple[float, float, Cue]]:
    ordered = sorted(cues, key=lambda cue: cue.start)
    windows = []
    for number, cue in enumerate(ordered):
        end = cue.end
        if number + 1 < len(ordered) and ordered[number + 1].start < end:
            end = ordered[number + 1].start
        if end > cue.start:
            windows.append((cue.start, end, cue))
    return windows


def caption_pages(cues: Sequence[Cue], *, font_file: Path, font_size: int,
                  line_spacing: float, max_width: float | None,
                  max_lines: int) -> tuple[CaptionPage, ...]:
    """Every page of every cue, in time order."""
    pages: list[CaptionPage] = []
    for start, end, cue in _display_windows(cues):
        layout = layout_text(clean_text(cue.text), font_file=font_file, font_size=font_size,
                             line_spacing=line_spacing, max_width=max_width)
        pages += _paginate(cue, layout, start, end, max_lines)
    return tuple(pages)


def _page_layout(layout: TextLayout, first: int, last: int) -> TextLayout:
    lines = layout.lines[first:last]
    widths = layout.line_widths[first:last]
    one_line = layout.block_height - layout.line_height * (len(layout.lines) - 1)
    return TextLayout(font_file=layout.font_file, font_size=layout.font_size, lines=lines,
                      line_widths=widths, line_height=layout.line_height,
                      block_width=max(widths, default=0),
                      block_height=layout.line_height * (len(lines) - 1) + one_line,
                      edge_widths=tuple((0.0, 0.0) for _ in lines))


def _paginate(cue: Cue, layout: TextLayout, start: float, end: float,
              max_lines: int) -> list[CaptionPage]:
    spans = [(first, min(first + max_lines, len(layout.lines)))
             for first in range(0, len(layout.lines), max_lines)]
    placed = _word_places(cue, layout)
    starts = _page_starts(cue, layout, spans, placed, start, end)
    pages = []
    for number, (first, last) in enumerate(spans):
        page_start = starts[number]
        page_end = starts[number + 1] if number + 1 < len(spans) else end
        if page_end <= page_start:
            continue
        highlights = tuple(
            Highlight(line - first, piece, offset, max(w_start, page_start),
                      min(w_end, page_end))
            for line, piece, offset, w_start, w_end in placed
            if first <= line < last and min(w_end, page_end) > max(w_start, page_start))
        pages.append(CaptionPage(page_start, page_end, _page_layout(layout, first, last),
                                 highlights))
    return pages


def _page_starts(cue: Cue, layout: TextLayout, spans: list[tuple[int, int]],
                 placed: list[tuple[int, str, float, float, float]], start: float,
                 end: float) -> list[float]:
    """When each page is first shown: its first spoken word, or its share of characters."""
    starts = [start]
    chars = [sum(len(line.replace(" ", "")) for line in layout.lines[a:b]) for a, b in spans]
    total = max(1, sum(chars))
    before = 0
    for number, (first, _) in enumerate(spans[1:], start=1):
        before += chars[number - 1]
        spoken = [w_start for line, _, _, w_start, _ in placed if line >= first]
        share = start + (end - start) * before / total
        starts.append(max(starts[-1], min(spoken) if spoken else share))
    return starts


def _word_places(cue: Cue, layout: TextLayout) -> list[tuple[int, str, float, float, float]]:
    """(line, text, x offset, start, end) of each piece of each timed word on the lines.

    Wrapping only drops whitespace (and may cut a word too long for a line), so the
    text's non-space characters, in order, are the lines' ones: a word is found by its
    character range in that sequence.
    """
    if not cue.words:
        return []
    columns = [(number, column) for number, line in enumerate(layout.lines)
               for column, char in enumerate(line) if not char.isspace()]
    places: list[tuple[int, str, float, float, float]] = []
    position = 0
    for word in cue.words:
        chars = columns[position:position + len(word.text)]
        position += len(word.text)
        for line in dict.fromkeys(number for number, _ in chars):
            cols = [column for number, column in chars if number == line]
            text = layout.lines[line][cols[0]:cols[-1] + 1]
            offset = text_width(layout.lines[line][:cols[0]], layout.font_file,
                                layout.font_size)
            places.append((line, text, offset, word.start, word.end))
    return places
