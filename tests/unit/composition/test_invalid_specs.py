"""Invalid compositions: each must be rejected with exactly the JSON paths that are wrong.

Every row names the full set of paths `parse_job` must report (no more, no fewer) and,
where the wording matters to a user, a word the message for those paths must contain.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import SpecError, parse_job

VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/clip.mp4"}
IMAGE: dict[str, Any] = {"type": "image", "source": "https://example.com/logo.png"}
AUDIO: dict[str, Any] = {"type": "audio", "source": "https://example.com/music.mp3"}
TEXT: dict[str, Any] = {"type": "text", "text": "Hello"}
OVERLAY: dict[str, Any] = {"type": "overlay", "source": "https://example.com/frame.png"}


def job(*elements: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A job with the given elements (one video when none) and top-level fields."""
    return {"elements": list(elements) or [dict(VIDEO)], **fields}


def out(**output: Any) -> dict[str, Any]:
    """A job whose only oddity is in `output`."""
    return job(output=output)


def el(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A single-element job: `base` with `changes` applied."""
    return job({**base, **changes})


def without(base: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k != key}


CASES = [
    # --- top level -------------------------------------------------------------------------
    pytest.param("{not json", {"$"}, "not valid JSON", id="invalid-json-text"),
    pytest.param(b"\xff\xfe{", {"$"}, "not valid JSON", id="undecodable-json-bytes"),
    pytest.param([dict(VIDEO)], {"$"}, "JSON object", id="top-level-list"),
    pytest.param("42", {"$"}, "JSON object", id="top-level-number-text"),
    pytest.param(None, {"$"}, "JSON object", id="top-level-null"),
    # text Postgres cannot store (found by fuzzing the API: it was a 500)
    pytest.param(el(TEXT, text="a\x00b"), {"elements[0].text"}, "NUL", id="nul-in-text"),
    pytest.param(el(VIDEO, source="https://example.com/\x00.mp4"), {"elements[0].source"},
                 "NUL", id="nul-in-source"),
    pytest.param(el(TEXT, text="\udaf4"), {"elements[0].text"}, "lone surrogate",
                 id="lone-surrogate-in-text"),
    pytest.param(job(TEXT, metadata={"k\x00": 1}), {"metadata"}, "a key must not contain NUL",
                 id="nul-in-metadata-key"),
    pytest.param({}, {"elements"}, "required", id="elements-missing"),
    pytest.param(job(elements=[]), {"elements"}, "at least 1", id="elements-empty"),
    pytest.param({"elements": {"type": "video"}}, {"elements"}, "list", id="elements-object"),
    pytest.param({"elements": "video"}, {"elements"}, "list", id="elements-string"),
    pytest.param(
        {"elements": [dict(VIDEO)] * 101}, {"elements"}, "at most 100", id="elements-too-many"
    ),
    pytest.param(job(colour="red"), {"colour"}, "not a known field", id="unknown-top-field"),
    pytest.param(
        job(callback_url="ftp://example.com/hook"), {"callback_url"}, "https?", id="callback-ftp"
    ),
    pytest.param(
        job(callback_url="example.com/hook"), {"callback_url"}, None, id="callback-no-scheme"
    ),
    pytest.param(job(response="later"), {"response"}, "immediate", id="response-unknown"),
    pytest.param(job(idempotency_key=""), {"idempotency_key"}, None, id="idempotency-key-empty"),
    pytest.param(job(output=5), {"output"}, None, id="output-not-object"),
    # --- output ----------------------------------------------------------------------------
    pytest.param(out(format="mkv"), {"output.format"}, "mp4", id="output-format-unknown"),
    pytest.param(out(width=7682), {"output.width"}, "7680", id="output-width-too-large"),
    pytest.param(out(height=4322), {"output.height"}, "4320", id="output-height-too-large"),
    pytest.param(out(width=0), {"output.width"}, None, id="output-width-zero"),
    pytest.param(out(width=1280.5), {"output.width"}, "integer", id="output-width-fraction"),
    pytest.param(out(width="wide"), {"output.width"}, "integer", id="output-width-text"),
    pytest.param(out(width=1281), {"output.width"}, "even", id="output-width-odd-mp4"),
    pytest.param(
        out(format="webm", height=721), {"output.height"}, "even", id="output-height-odd-webm"
    ),
    pytest.param(
        out(width=641, height=361), {"output.width", "output.height"}, "even", id="output-both-odd"
    ),
    pytest.param(out(fps=0), {"output.fps"}, "greater than or equal to 0.001",
                 id="output-fps-zero"),
    pytest.param(out(fps=0.0004), {"output.fps"}, "greater than or equal to 0.001",
                 id="output-fps-rounds-to-zero"),
    pytest.param(el(VIDEO, duration=5e-324), {"elements[0].duration"},
                 "greater than or equal to 0.001", id="duration-under-a-millisecond"),
    pytest.param(el(VIDEO, start=0.5, end=0.5004), {"elements[0].end"},
                 "at least a millisecond after start", id="end-under-a-millisecond-later"),
    pytest.param(out(fps=121), {"output.fps"}, "120", id="output-fps-too-high"),
    pytest.param(out(fps=-30), {"output.fps"}, None, id="output-fps-negative"),
    pytest.param(out(duration=-5), {"output.duration"}, None, id="output-duration-negative"),
    pytest.param(out(duration=0), {"output.duration"}, None, id="output-duration-zero"),
    pytest.param(out(background="nope"), {"output.background"}, "colour", id="output-bg-name"),
    pytest.param(out(background="#12345"), {"output.background"}, "colour", id="output-bg-hex"),
    pytest.param(
        out(quality={"crf": 64}), {"output.quality.crf"}, "63", id="output-crf-too-high"
    ),
    pytest.param(out(quality={"crf": -1}), {"output.quality.crf"}, None, id="output-crf-negative"),
    pytest.param(
        out(quality={"preset": "turbo"}), {"output.quality.preset"}, "veryfast", id="output-preset"
    ),
    pytest.param(
        out(quality={"bitrate": "5M"}),
        {"output.quality.bitrate"},
        "not a known field",
        id="output-quality-unknown-field",
    ),
    pytest.param(
        out(duration=5, poster={"time": 6}),
        {"output.poster.time"},
        "before the end",
        id="output-poster-after-duration",
    ),
    pytest.param(
        out(duration=5, poster={"time": 5}),
        {"output.poster.time"},
        "before the end",
        id="output-poster-at-duration",
    ),
    pytest.param(
        out(format="gif", width=321, duration=2, poster={"time": 9}),
        {"output.poster.time"},
        "before the end",
        id="output-poster-after-duration-gif",
    ),
    pytest.param(out(poster={"time": -1}), {"output.poster.time"}, None, id="output-poster-neg"),
    pytest.param(out(codec="h265"), {"output.codec"}, "not a known field", id="output-unknown"),
    # --- element type ----------------------------------------------------------------------
    pytest.param(
        job({"source": "a.mp4"}), {"elements[0].type"}, "required", id="element-type-missing"
    ),
    pytest.param(
        el(VIDEO, type="gif"), {"elements[0].type"}, "one of video", id="element-type-unknown"
    ),
    pytest.param(el(VIDEO, type="Video"), {"elements[0].type"}, None, id="element-type-case"),
    pytest.param(el(VIDEO, type=3), {"elements[0].type"}, None, id="element-type-number"),
    pytest.param(job("video"), {"elements[0]"}, "dictionary", id="element-not-object"),
    # --- required fields of every type -----------------------------------------------------
    pytest.param(
        job(without(VIDEO, "source")), {"elements[0].source"}, "required", id="video-no-source"
    ),
    pytest.param(
        job(without(IMAGE, "source")), {"elements[0].source"}, "required", id="image-no-source"
    ),
    pytest.param(
        job(without(AUDIO, "source")), {"elements[0].source"}, "required", id="audio-no-source"
    ),
    pytest.param(
        job(without(OVERLAY, "source")),
        {"elements[0].source"},
        "required",
        id="overlay-no-source",
    ),
    pytest.param(job(without(TEXT, "text")), {"elements[0].text"}, "required", id="text-no-text"),
    pytest.param(el(VIDEO, source=""), {"elements[0].source"}, None, id="video-source-empty"),
    # --- unknown fields --------------------------------------------------------------------
    pytest.param(
        el(VIDEO, colour="red"), {"elements[0].colour"}, "not a known field", id="video-unknown"
    ),
    pytest.param(
        el(AUDIO, x="50%"), {"elements[0].x"}, "not a known field", id="audio-has-no-x"
    ),
    pytest.param(
        el(IMAGE, volume=0.5), {"elements[0].volume"}, "not a known field", id="image-no-volume"
    ),
    pytest.param(
        el(TEXT, source="a.png"), {"elements[0].source"}, "not a known field", id="text-no-source"
    ),
    # --- lengths ---------------------------------------------------------------------------
    pytest.param(el(VIDEO, width="abc"), {"elements[0].width"}, "size", id="length-abc"),
    pytest.param(
        el(VIDEO, width="-5%"), {"elements[0].width"}, "greater than zero", id="length-neg-pct"
    ),
    pytest.param(
        el(VIDEO, height=0), {"elements[0].height"}, "greater than zero", id="length-zero"
    ),
    pytest.param(
        el(IMAGE, width="0px"), {"elements[0].width"}, "greater than zero", id="length-zero-px"
    ),
    pytest.param(el(VIDEO, width=True), {"elements[0].width"}, "boolean", id="length-boolean"),
    pytest.param(el(VIDEO, width="12em"), {"elements[0].width"}, None, id="length-unknown-unit"),
    pytest.param(
        el(TEXT, font_size="huge"), {"elements[0].font_size"}, "size", id="text-font-size-word"
    ),
    # --- font_size "auto" ---------------------------------------------------------------------
    pytest.param(el(TEXT, font_size="auto"), {"elements[0].font_size"}, "width and height",
                 id="auto-size-without-a-box"),
    pytest.param(el(TEXT, font_size="auto", width=200), {"elements[0].font_size"}, "height",
                 id="auto-size-without-height"),
    pytest.param(el(TEXT, font_size="autofit", width=200, height=80),
                 {"elements[0].font_size"}, "'auto'", id="auto-size-misspelt"),
    pytest.param(el(TEXT, width=200, height=80, min_font_size=40, max_font_size=20),
                 {"elements[0].min_font_size"}, "larger than max_font_size", id="auto-min>max"),
    pytest.param(el(TEXT, width=200, height=80, min_font_size="30%", max_font_size="10%"),
                 {"elements[0].min_font_size"}, "larger", id="auto-min>max-percent"),
    pytest.param(el(TEXT, width=200, height=80, min_font_size=0), {"elements[0].min_font_size"},
                 "greater than zero", id="auto-min-zero"),
    pytest.param(el(TEXT, width=200, height=80, max_font_size=-5),
                 {"elements[0].max_font_size"}, "greater than zero", id="auto-max-negative"),
    pytest.param(el(TEXT, width=200, height=80, min_font_size="big"),
                 {"elements[0].min_font_size"}, "size", id="auto-min-word"),
    pytest.param(el(TEXT, width=200, height=80, max_font_size=True),
                 {"elements[0].max_font_size"}, "boolean", id="auto-max-boolean"),
    pytest.param(el(TEXT, font_size=40, min_font_size=10), {"elements[0].min_font_size"},
                 "only with font_size 'auto'", id="min-size-with-a-fixed-size"),
    pytest.param(el(TEXT, max_font_size=80), {"elements[0].max_font_size"},
                 "only with font_size 'auto'", id="max-size-without-a-box"),
    pytest.param(
        '{"elements": [{"type": "image", "source": "a.png", "width": NaN}]}',
        {"elements[0].width"},
        "finite",
        id="length-nan-json-text",
    ),
    pytest.param(
        '{"elements": [{"type": "image", "source": "a.png", "height": Infinity}]}',
        {"elements[0].height"},
        "finite",
        id="length-infinity-json-text",
    ),
    # --- positions -------------------------------------------------------------------------
    pytest.param(el(VIDEO, x="middle-ish"), {"elements[0].x"}, "position", id="position-word"),
    pytest.param(el(VIDEO, y=[10, 20]), {"elements[0].y"}, "position", id="position-list"),
    pytest.param(el(VIDEO, y=None), {"elements[0].y"}, "position", id="position-null"),
    pytest.param(el(VIDEO, x=False), {"elements[0].x"}, "boolean", id="position-boolean"),
    pytest.param(
        '{"elements": [{"type": "text", "text": "a", "x": -Infinity}]}',
        {"elements[0].x"},
        "finite",
        id="position-infinity-json-text",
    ),
    pytest.param(
        '{"elements": [{"type": "image", "source": "a.png", "x": 1%s}]}' % ("0" * 400),
        {"elements[0].x"},
        "within ±100000px",
        id="position-int-too-large-for-float",
    ),
    # --- colours ---------------------------------------------------------------------------
    pytest.param(el(TEXT, color="#12345"), {"elements[0].color"}, "colour", id="colour-5-hex"),
    pytest.param(el(TEXT, color="#ggg"), {"elements[0].color"}, "colour", id="colour-bad-hex"),
    pytest.param(
        el(TEXT, color="white@2"), {"elements[0].color"}, "between 0 and 1", id="colour-alpha>1"
    ),
    pytest.param(
        el(TEXT, background="black@half"), {"elements[0].background"}, "number", id="colour-alpha"
    ),
    pytest.param(
        el(TEXT, stroke_color=255), {"elements[0].stroke_color"}, "colour", id="colour-number"
    ),
    # --- visual fields ---------------------------------------------------------------------
    pytest.param(
        el(VIDEO, opacity=1.5), {"elements[0].opacity"}, "or equal to 1", id="opacity-above-1"
    ),
    pytest.param(el(IMAGE, opacity=-0.1), {"elements[0].opacity"}, None, id="opacity-negative"),
    pytest.param(el(IMAGE, fit="zoom"), {"elements[0].fit"}, "contain", id="fit-unknown"),
    pytest.param(el(VIDEO, track=1001), {"elements[0].track"}, None, id="track-too-high"),
    # --- timing ----------------------------------------------------------------------------
    pytest.param(el(VIDEO, start=-1), {"elements[0].start"}, None, id="start-negative"),
    pytest.param(el(AUDIO, duration=0), {"elements[0].duration"}, None, id="duration-zero"),
    pytest.param(el(AUDIO, duration=-2), {"elements[0].duration"}, None, id="duration-negative"),
    pytest.param(el(VIDEO, start=5, end=3), {"elements[0].end"}, "after start", id="end-before"),
    pytest.param(el(IMAGE, start=4, end=4), {"elements[0].end"}, "after start", id="end-at-start"),
    pytest.param(el(VIDEO, end=0), {"elements[0].end"}, None, id="end-zero"),
    pytest.param(
        el(IMAGE, duration=2, end=3), {"elements[0].end"}, "not both", id="duration-and-end"
    ),
    pytest.param(
        el(VIDEO, duration=2, fade_in=1.5, fade_out=1),
        {"elements[0].fade_in"},
        "exceed",
        id="fades-exceed-duration",
    ),
    pytest.param(
        el(AUDIO, start=1, end=3, fade_out=2.5),
        {"elements[0].fade_out"},
        "exceed",
        id="fade-out-exceeds-end-minus-start",
    ),
    pytest.param(el(AUDIO, fade_in=-1), {"elements[0].fade_in"}, None, id="fade-in-negative"),
    pytest.param(
        el(VIDEO, trim_start=-0.5), {"elements[0].trim_start"}, None, id="trim-start-negative"
    ),
    # --- ids -------------------------------------------------------------------------------
    pytest.param(
        job({**VIDEO, "id": "a"}, {**IMAGE, "id": "b"}, {**TEXT, "id": "a"}),
        {"elements[2].id"},
        "duplicate",
        id="duplicate-id",
    ),
    pytest.param(
        job({**VIDEO, "id": "a"}, {**IMAGE, "id": "a"}, {**AUDIO, "id": "a"}),
        {"elements[1].id", "elements[2].id"},
        "elements[0]",
        id="duplicate-id-three-times",
    ),
    pytest.param(el(VIDEO, id=""), {"elements[0].id"}, None, id="id-empty"),
    pytest.param(el(VIDEO, id="   "), {"elements[0].id"}, None, id="id-blank"),
    # --- text ------------------------------------------------------------------------------
    pytest.param(el(TEXT, fit="cover"), {"elements[0].fit"}, "does not apply", id="text-fit-cover"),
    pytest.param(el(TEXT, text=""), {"elements[0].text"}, "at least 1", id="text-empty"),
    pytest.param(el(TEXT, text="  \n "), {"elements[0].text"}, "at least 1", id="text-blank"),
    pytest.param(el(TEXT, text="x" * 5001), {"elements[0].text"}, "5000", id="text-too-long"),
    pytest.param(el(TEXT, align="justify"), {"elements[0].align"}, None, id="text-align"),
    pytest.param(el(TEXT, font_weight="900"), {"elements[0].font_weight"}, None, id="text-weight"),
    pytest.param(el(TEXT, line_spacing=0.1), {"elements[0].line_spacing"}, None, id="text-spacing"),
    # --- audio / video ---------------------------------------------------------------------
    pytest.param(el(AUDIO, volume=11), {"elements[0].volume"}, "10", id="audio-volume-high"),
    pytest.param(el(VIDEO, volume=-0.5), {"elements[0].volume"}, "0", id="video-volume-negative"),
    pytest.param(
        el(VIDEO, past_end="repeat"), {"elements[0].past_end"}, "freeze", id="video-past-end"
    ),
    pytest.param(
        el(OVERLAY, past_end="bounce"), {"elements[0].past_end"}, "loop", id="overlay-past-end"
    ),
    pytest.param(el(AUDIO, loop="sometimes"), {"elements[0].loop"}, None, id="audio-loop-word"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_spec_reports_exact_paths(spec: Any, paths: set[str], word: str | None) -> None:
    with pytest.raises(SpecError) as caught:
        parse_job(spec)
    problems = caught.value.problems
    assert {p.path for p in problems} == paths, problems
    if word is not None:
        for problem in problems:
            assert word in problem.message, problem


def test_several_problems_in_different_places_are_reported_at_once() -> None:
    spec = {
        "output": {"width": 1281, "quality": {"preset": "turbo"}},
        "elements": [
            {**VIDEO, "width": "abc", "opacity": 2},
            {"type": "text"},
            {"type": "sparkles", "source": "a.png"},
            {**AUDIO, "start": 3, "end": 1},
            dict(IMAGE),
            {**IMAGE, "x": "somewhere", "colour": "red"},
        ],
        "callback_url": "mailto:ops@example.com",
    }
    with pytest.raises(SpecError) as caught:
        parse_job(spec)
    by_path = {p.path: p.message for p in caught.value.problems}
    assert set(by_path) == {
        "output.width",  # cross-field rule, reported even though output.quality failed
        "output.quality.preset",
        "elements[0].width",
        "elements[0].opacity",
        "elements[1].text",
        "elements[2].type",
        "elements[3].end",
        "elements[5].x",
        "elements[5].colour",
        "callback_url",
    }
    assert "even" in by_path["output.width"]
    assert "required" in by_path["elements[1].text"]
    assert "after start" in by_path["elements[3].end"]
    assert "not a known field" in by_path["elements[5].colour"]
    # The SpecError's own text lists every problem, one per line, path first.
    lines = str(caught.value).splitlines()
    assert len(lines) == len(caught.value.problems)
    assert all(": " in line for line in lines)


def test_independent_cross_field_problems_in_several_elements_are_all_reported() -> None:
    spec = job(
        {**VIDEO, "duration": 2, "end": 3},
        {**TEXT, "fit": "fill", "start": 4, "end": 2},
        {**AUDIO, "duration": 1, "fade_in": 1, "fade_out": 1},
        output={"width": 1001, "height": 563},
    )
    with pytest.raises(SpecError) as caught:
        parse_job(spec)
    assert {p.path for p in caught.value.problems} == {
        "output.width",
        "output.height",
        "elements[0].end",
        "elements[1].end",
        "elements[1].fit",
        "elements[2].fade_in",
    }


def test_problem_as_dict_and_str() -> None:
    with pytest.raises(SpecError) as caught:
        parse_job(el(VIDEO, opacity=3))
    (problem,) = caught.value.problems
    assert problem.as_dict() == {"path": "elements[0].opacity", "message": problem.message}
    assert str(problem).startswith("elements[0].opacity: ")
