"""SubRip (.srt) and WebVTT (.vtt) files → cues, strictly, with the line of every problem.

The parsers on PyPI were weighed (docs/decisions.md): `srt` reports a structural error as
a character offset and accepts an end before the start; `webvtt-py` and `pysubs2` skip or
swallow a malformed cue without a word. A caption file that renders half its cues is worse
than one refused with "line 14: ...", so this small parser accepts what the two formats
define and names the line of anything else. Styling markup (`<i>`, `<c.x>`, `{\\an8}`,
WebVTT's inline timestamps) is removed: the element's own fields style the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "MAX_CUES",
    "MAX_CUE_TEXT",
    "MAX_SUBTITLE_BYTES",
    "ParsedCue",
    "SubtitleError",
    "decode_subtitles",
    "parse_subtitles",
    "subtitle_format",
]

MAX_SUBTITLE_BYTES = 2 * 1024**2  # ~20 000 cues of ordinary length
MAX_CUES = 10_000
MAX_CUE_TEXT = 5000  # the spec's limit for one text

_SRT_TIME = r"(\d{1,3}):([0-5]\d):([0-5]\d)[,.](\d{3})"
_SRT_TIMING = re.compile(rf"^{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s+.*)?$")
_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t]+.*)?$")
_MARKUP = re.compile(r"<[^>\n]*>|\{\\[^}\n]*\}")
_VTT_BLOCKS = ("NOTE", "STYLE", "REGION")


class SubtitleError(ValueError):
    """A subtitle file that is not valid SRT or WebVTT; `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class ParsedCue:
    start: float
    end: float
    text: str
    line: int  # where the cue's timing line is


def subtitle_format(text: str) -> str:
    """'webvtt' for a file that starts with the WEBVTT signature, else 'srt'."""
    return "webvtt" if _is_webvtt_signature(text.lstrip("\ufeff").split("\n", 1)[0]) else "srt"


def decode_subtitles(data: bytes) -> str:
    """The file as text: UTF-8 (a BOM is allowed); SubtitleError names the first bad line."""
    if len(data) > MAX_SUBTITLE_BYTES:
        raise SubtitleError(1, f"the file has {len(data)} bytes, more than the "
                               f"{MAX_SUBTITLE_BYTES} a subtitle file may have")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SubtitleError(line, "not UTF-8 text") from None


def parse_subtitles(text: str) -> tuple[ParsedCue, ...]:
    """Every cue of an SRT or WebVTT document, in file order."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SubtitleError(line, "contains a NUL character: not a text file")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parse = _parse_webvtt if subtitle_format(text) == "webvtt" else _parse_srt
    cues = tuple(parse(lines))
    if not cues:
        last = max((number for number, line in enumerate(lines, 1) if line.strip()), default=1)
        raise SubtitleError(last, "the file has no cues")
    return cues


def _blocks(lines: list[str], first: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(1-based line number of its first line, lines) of each blank-line separated block."""
    block: list[str] = []
    start = first
    for number, line in enumerate(lines[first:], start=first):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start + 1, block
            block = []
    if block:
        yield start + 1, block


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(part or 0) for part in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _cue(start: float, end: float, body: list[str], line: int, *, vtt: bool) -> ParsedCue:
    if end <= start:
        raise SubtitleError(line, f"the cue ends ({end:.3f} s) before it starts ({start:.3f} s)")
    stripped = [_MARKUP.sub("", part) for part in body]
    text = "\n".join(html.unescape(part) if vtt else part for part in stripped).strip()
    if not text:
        raise SubtitleError(line + 1, "the cue has no text")
    if len(text) > MAX_CUE_TEXT:
        raise SubtitleError(line + 1, f"the cue's text has {len(text)} characters, more than "
                                      f"{MAX_CUE_TEXT}")
    return ParsedCue(start, end, text, line)


def _check_count(count: int, line: int) -> None:
    if count > MAX_CUES:
        raise SubtitleError(line, f"more than {MAX_CUES} cues")


def _parse_srt(lines: list[str]) -> Iterator[ParsedCue]:
    for count, (line, block) in enumerate(_blocks(lines), start=1):
        if not block[0].strip().isdigit():
            if "-->" in block[0]:
                raise SubtitleError(line, "a cue number is missing before the timing line")
            raise SubtitleError(line, f"expected a cue number, got {block[0].strip()[:40]!r}")
        if len(block) < 2:
            raise SubtitleError(line + 1, "expected a timing line "
                                          "'00:00:01,000 --> 00:00:02,500', got a blank line")
        match = _SRT_TIMING.match(block[1].strip())
        if match is None:
            raise SubtitleError(line + 1, "expected a timing line "
                                          f"'00:00:01,000 --> 00:00:02,500', got "
                                          f"{block[1].strip()[:60]!r}")
        _check_count(count, line)
        groups = match.groups()
        yield _cue(_seconds(groups[:4]), _seconds(groups[4:]), block[2:], line + 1, vtt=False)


def _is_webvtt_signature(line: str) -> bool:
    return line == "WEBVTT" or line.startswith(("WEBVTT ", "WEBVTT\t"))


def _parse_webvtt(lines: list[str]) -> Iterator[ParsedCue]:
    header_end = next((number for number, line in enumerate(lines) if not line.strip()),
                      len(lines))
    count = 0
    for line, block in _blocks(lines, header_end):
        head = block[0].strip()
        if head.split(" ", 1)[0].split("\t", 1)[0] in _VTT_BLOCKS and "-->" not in head:
            continue
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            raise SubtitleError(line + timing_at, "expected a timing line "
                                "'00:01.000 --> 00:02.500' (after an optional cue identifier)")
        match = _VTT_TIMING.match(block[timing_at].strip())
        if match is None:
            raise SubtitleError(line + timing_at, "expected a timing line "
                                "'00:01.000 --> 00:02.500', got "
                                f"{block[timing_at].strip()[:60]!r}")
        count += 1
        _check_count(count, line)
        groups = match.groups()
        yield _cue(_seconds(groups[:4]), _seconds(groups[4:]), block[timing_at + 1:],
                   line + timing_at, vtt=True)
