"""Valid compositions: what they parse into (defaults, lengths, positions, colours, ids)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.composition import json_schema, parse_job
from shared.composition.spec import (
    AudioElement,
    ImageElement,
    OverlayElement,
    TextElement,
    VideoElement,
)
from shared.composition.values import ColorValue, LengthValue, PositionValue

VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/clip.mp4"}


def one(**fields: Any) -> Any:
    """Parse a job with one video element carrying `fields`; return that element."""
    return parse_job({"elements": [{**VIDEO, **fields}]}).elements[0]


def text(**fields: Any) -> TextElement:
    element = parse_job({"elements": [{"type": "text", "text": "Hi", **fields}]}).elements[0]
    assert isinstance(element, TextElement)
    return element


def test_output_defaults() -> None:
    output = parse_job({"elements": [VIDEO]}).output
    assert output.format == "mp4"
    assert (output.width, output.height) == (1280, 720)
    assert output.fps == 30
    assert output.duration is None
    assert output.background == ColorValue(0, 0, 0, 255)
    assert output.quality.crf is None
    assert output.quality.preset == "veryfast"
    assert output.poster is None


def test_job_defaults() -> None:
    job = parse_job({"elements": [VIDEO]})
    assert job.response == "auto"
    assert job.callback_url is None
    assert job.idempotency_key is None
    assert job.metadata == {}


def test_element_defaults() -> None:
    element = one()
    assert isinstance(element, VideoElement)
    assert (element.start, element.duration, element.end) == (0.0, None, None)
    assert (element.x, element.y) == (PositionValue(50.0, "%"), PositionValue(50.0, "%"))
    assert (element.width, element.height) == (None, None)
    assert element.fit == "auto"
    assert element.opacity == 1.0
    assert (element.track, element.volume, element.muted) == (0, 1.0, False)
    assert element.past_end == "freeze"


def test_every_element_type_parses_to_its_model() -> None:
    job = parse_job(
        {
            "elements": [
                VIDEO,
                {"type": "image", "source": "logo.png"},
                {"type": "audio", "source": "music.mp3"},
                {"type": "text", "text": "Title"},
                {"type": "overlay", "source": "frame.webm"},
            ]
        }
    )
    kinds = [type(element) for element in job.elements]
    assert kinds == [VideoElement, ImageElement, AudioElement, TextElement, OverlayElement]
    overlay = job.elements[4]
    assert isinstance(overlay, OverlayElement)
    assert overlay.past_end == "loop"


def test_json_text_and_bytes_are_accepted() -> None:
    document = {"output": {"format": "webm", "fps": 24}, "elements": [VIDEO]}
    for raw in (json.dumps(document), json.dumps(document).encode()):
        job = parse_job(raw)
        assert job.output.format == "webm"
        assert job.output.fps == 24


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25%", LengthValue(25.0, "%")),
        (" 12.5 % ", LengthValue(12.5, "%")),
        ("120px", LengthValue(120.0, "px")),
        ("120", LengthValue(120.0, "px")),
        (120, LengthValue(120.0, "px")),
        (64.5, LengthValue(64.5, "px")),
    ],
)
def test_lengths(raw: Any, expected: LengthValue) -> None:
    assert one(width=raw).width == expected


def test_length_resolves_against_the_canvas() -> None:
    element = one(width="25%", height=90)
    assert element.width.resolve(1280) == 320.0
    assert element.height.resolve(720) == 90.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("center", PositionValue(50.0, "%")),
        ("left", PositionValue(0.0, "%")),
        ("right", PositionValue(100.0, "%")),
        ("Top", PositionValue(0.0, "%")),
        ("bottom", PositionValue(100.0, "%")),
        ("0%", PositionValue(0.0, "%")),
        ("-10px", PositionValue(-10.0, "px")),
        (40, PositionValue(40.0, "px")),
    ],
)
def test_positions(raw: Any, expected: PositionValue) -> None:
    assert one(x=raw).x == expected


def test_percent_position_is_a_share_of_the_free_space() -> None:
    element = one(x="center", y="100%")
    assert element.x.resolve(1280, 320) == 480.0
    assert element.y.resolve(720, 120) == 600.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#f00", ColorValue(255, 0, 0, 255)),
        ("#ff000080", ColorValue(255, 0, 0, 128)),
        ("white@0.5", ColorValue(255, 255, 255, 128)),
        ("#00FF00", ColorValue(0, 255, 0, 255)),
        ("Black", ColorValue(0, 0, 0, 255)),
        ("transparent", ColorValue(0, 0, 0, 0)),
    ],
)
def test_colours(raw: str, expected: ColorValue) -> None:
    assert text(color=raw).color == expected


def test_colour_ffmpeg_syntax() -> None:
    assert text(color="white@0.5").color.ffmpeg == "0xffffff@0.502"
    assert parse_job({"elements": [VIDEO]}).output.background.ffmpeg == "0x000000@1"


def test_element_id_falls_back_to_position() -> None:
    job = parse_job({"elements": [VIDEO, {**VIDEO, "id": "intro"}, VIDEO]})
    assert [job.element_id(i) for i in range(3)] == ["element-0", "intro", "element-2"]


def test_odd_sizes_are_fine_for_gif_and_timing_edges_are_fine() -> None:
    job = parse_job(
        {
            "output": {"format": "gif", "width": 321, "height": 241, "duration": 4,
                       "poster": {"time": 3.9}},
            "elements": [{**VIDEO, "start": 1, "end": 3, "fade_in": 1, "fade_out": 1}],
        }
    )
    assert (job.output.width, job.output.height) == (321, 241)
    element = job.elements[0]
    assert element.fixed_length == 2.0


def test_text_strips_whitespace_and_keeps_defaults() -> None:
    element = text(text="  Hello  ")
    assert element.text == "Hello"
    assert element.font_size == LengthValue(6.0, "%")
    assert element.color == ColorValue(255, 255, 255, 255)
    assert (element.align, element.vertical_align, element.wrap) == ("center", "center", True)


def test_json_schema_lists_output_elements_and_all_element_types() -> None:
    schema = json_schema()
    assert isinstance(schema, dict)
    assert {"output", "elements"} <= set(schema["properties"])
    assert schema["required"] == ["elements"]
    items = schema["properties"]["elements"]["items"]
    refs = {option["$ref"].rsplit("/", 1)[-1] for option in items["oneOf"]}
    assert refs == {
        "VideoElement",
        "ImageElement",
        "AudioElement",
        "TextElement",
        "OverlayElement",
        "CaptionsElement",
        "ShapeElement",
    }
    assert set(items["discriminator"]["mapping"]) == {"video", "image", "audio", "text", "overlay",
                                                      "captions", "shape"}
    json.dumps(schema)  # serialisable as `vidgen schema` prints it
