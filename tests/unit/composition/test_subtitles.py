"""SubRip and WebVTT parsing: the cues of valid files, and the line of every problem."""

from __future__ import annotations

import pytest

from shared.composition.subtitles import (
    MAX_SUBTITLE_BYTES,
    SubtitleError,
    decode_subtitles,
    parse_subtitles,
    subtitle_format,
)

SRT = """1
00:00:01,000 --> 00:00:02,500
Hello <i>there</i>

2
00:00:03,000 --> 00:00:04,000 X1:10 X2:20 Y1:5 Y2:9
{\\an8}Two
lines
"""

VTT = """WEBVTT - a title
Kind: captions

NOTE a comment
that spans lines

STYLE
::cue { color: red }

intro
00:01.000 --> 00:02.500 align:start line:90%
Tom &amp; <c.loud>Jerry</c>

01:00:03.250 --> 01:00:04.000
<00:00:03.500>karaoke
"""


def test_srt_cues_with_markup_removed() -> None:
    cues = parse_subtitles(SRT)
    assert [(c.start, c.end, c.text, c.line) for c in cues] == [
        (1.0, 2.5, "Hello there", 2),
        (3.0, 4.0, "Two\nlines", 6),
    ]
    assert subtitle_format(SRT) == "srt"


def test_webvtt_cues_skip_notes_styles_and_identifiers() -> None:
    cues = parse_subtitles(VTT)
    assert [(c.start, c.end, c.text, c.line) for c in cues] == [
        (1.0, 2.5, "Tom & Jerry", 11),
        (3603.25, 3604.0, "karaoke", 14),
    ]
    assert subtitle_format(VTT) == "webvtt"


def test_crlf_and_a_byte_order_mark_are_accepted() -> None:
    data = ("\ufeff" + SRT.replace("\n", "\r\n")).encode()
    cues = parse_subtitles(decode_subtitles(data))
    assert [c.text for c in cues] == ["Hello there", "Two\nlines"]
    assert cues[1].line == 6


BAD = [
    pytest.param("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> 00:00:03,000\nx\n",
                 6, "expected a timing line", id="srt-bad-timestamp"),
    pytest.param("1\n00:00:01,000 --> 00:00:02,000\nok\n\nHello\n", 5,
                 "expected a cue number", id="srt-text-without-cue"),
    pytest.param("00:00:01,000 --> 00:00:02,000\nno number\n", 1, "cue number is missing",
                 id="srt-missing-number"),
    pytest.param("1\n00:00:03,000 --> 00:00:02,000\nbackwards\n", 2, "before it starts",
                 id="srt-end-before-start"),
    pytest.param("1\n\n", 2, "expected a timing line", id="srt-number-alone"),
    pytest.param("1\n00:00:01,000 --> 00:00:02,000\n\n", 3, "no text", id="srt-cue-without-text"),
    pytest.param("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n", 3, "no text",
                 id="srt-cue-only-markup"),
    pytest.param("1\n00:00:01,000 --> 00:00:61,000\nbad seconds\n", 2, "timing line",
                 id="srt-seconds-over-59"),
    pytest.param("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\n00:03,000 --> 00:04.000\nx\n", 6,
                 "expected a timing line", id="vtt-comma-decimal"),
    pytest.param("WEBVTT\n\nid only\nno timing here\n", 4, "expected a timing line",
                 id="vtt-identifier-without-timing"),
    pytest.param("WEBVTT\n\n00:05.000 --> 00:04.000\nbackwards\n", 3, "before it starts",
                 id="vtt-end-before-start"),
    pytest.param("WEBVTT\n", 1, "no cues", id="vtt-no-cues"),
    pytest.param("", 1, "no cues", id="empty-file"),
    pytest.param("1\n00:00:01,000 --> 00:00:02,000\na\x00b\n", 3, "NUL", id="nul-character"),
]


@pytest.mark.parametrize(("text", "line", "words"), BAD)
def test_malformed_files_name_the_line(text: str, line: int, words: str) -> None:
    with pytest.raises(SubtitleError) as caught:
        parse_subtitles(text)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")
    assert words in str(caught.value)


def test_invalid_utf8_names_its_line() -> None:
    with pytest.raises(SubtitleError, match=r"^line 3: not UTF-8"):
        decode_subtitles(b"1\n00:00:01,000 --> 00:00:02,000\ncaf\xe9\n")


def test_a_file_over_the_size_cap_is_refused_before_decoding() -> None:
    with pytest.raises(SubtitleError, match="more than"):
        decode_subtitles(b"a" * (MAX_SUBTITLE_BYTES + 1))
