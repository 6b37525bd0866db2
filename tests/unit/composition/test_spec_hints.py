"""Hints in the spec's answers: "did you mean" for unknown fields and element types, and
warnings for valid specs that are surely not meant (an element after the output's end)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import SpecError, parse_job
from shared.composition.errors import SYNONYMS, known_fields, suggest
from shared.composition.spec import Job, Output, TextElement, VideoElement

TEXT: dict[str, Any] = {"type": "text", "text": "Hello"}
VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/clip.mp4"}


def messages(document: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(SpecError) as caught:
        parse_job(document)
    return {problem.path: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize(
    ("document", "path", "meant"),
    [
        pytest.param({"output": {"framerate": 25}, "elements": [TEXT]}, "output.framerate",
                     "fps", id="synonym-framerate"),
        pytest.param({"elements": [{**TEXT, "colour": "red"}]}, "elements[0].colour", "color",
                     id="synonym-colour"),
        pytest.param({"output": {"background_color": "#fff"}, "elements": [TEXT]},
                     "output.background_color", "background", id="synonym-background-color"),
        pytest.param({"elements": [{**VIDEO, "lenght": 3}]}, "elements[0].lenght", "duration",
                     id="misspelt-synonym-length"),
        pytest.param({"output": {"duraton": 3}, "elements": [TEXT]}, "output.duraton",
                     "duration", id="typo"),
        pytest.param({"output": {"Width": 640}, "elements": [TEXT]}, "output.Width", "width",
                     id="case"),
        pytest.param({"elements": [{**TEXT, "font-size": 40}]}, "elements[0].font-size",
                     "font_size", id="dash"),
        pytest.param({"output": {"quality": {"presett": "fast"}}, "elements": [TEXT]},
                     "output.quality.presett", "preset", id="nested-object"),
        pytest.param({"output": {"poster": {"at": 1, "tme": 1}}, "elements": [TEXT]},
                     "output.poster.tme", "time", id="optional-nested-object"),
        pytest.param({"elements": [VIDEO, {**VIDEO, "volum": 1}]}, "elements[1].volum",
                     "volume", id="second-element"),
        pytest.param({"elements": [TEXT], "callback": "https://example.com"}, "callback",
                     "callback_url", id="top-level"),
        pytest.param({"elements": [{**VIDEO, "type": "vidoe"}]}, "elements[0].type", "video",
                     id="element-type"),
    ],
)
def test_an_unknown_name_gets_the_known_one_it_meant(document, path, meant):
    assert messages(document)[path].endswith(f'; did you mean "{meant}"?')


@pytest.mark.parametrize(
    ("document", "path"),
    [
        # a video has no colour of any kind: nothing to suggest, rather than a wrong field
        pytest.param({"elements": [{**VIDEO, "colour": "red"}]}, "elements[0].colour",
                     id="synonym-target-not-a-field-here"),
        pytest.param({"elements": [{**TEXT, "source": "a.png"}]}, "elements[0].source",
                     id="unrelated"),
        pytest.param({"elements": [{"type": "audio", "source": "a.mp3", "x": 5}]},
                     "elements[0].x", id="one-letter"),
        pytest.param({"output": {"codec": "h265"}, "elements": [TEXT]}, "output.codec",
                     id="no-close-name"),
    ],
)
def test_no_suggestion_when_nothing_is_close(document, path):
    assert messages(document)[path] == "is not a known field"


def test_every_synonym_leads_to_a_real_field():
    fields = {name for model in (Job, Output, TextElement, VideoElement)
              for name in model.model_fields}
    fields |= {"preset", "time", "loop", "muted", "trim_start"}
    assert set(SYNONYMS.values()) <= fields


def test_known_fields_walk_pydantic_locations():
    assert "font_size" in known_fields(Job, ("elements", 0, "text"))
    assert "font_size" not in known_fields(Job, ("elements", 0, "video"))
    assert known_fields(Job, ("output", "quality")) == ["crf", "preset"]
    assert known_fields(Job, ("metadata",)) == []
    assert known_fields(Job, ("nowhere", "at all")) == []


def test_suggest_never_offers_the_name_itself():
    assert suggest("fps", ["fps", "width"]) is None
    assert suggest("FPS", ["fps", "width"]) == "fps"


def test_an_element_starting_after_the_output_ends_is_a_warning_not_an_error():
    job = parse_job({
        "output": {"duration": 5},
        "elements": [{**TEXT, "start": 4.9}, {**TEXT, "start": 5},
                     {"type": "audio", "source": "a.mp3", "start": 7.5}],
    })
    assert [(w.path, w.message) for w in job.warnings()] == [
        ("elements[1].start", "starts at 5 s, at or after the end of the output (5 s): "
                              "it will not be in the video"),
        ("elements[2].start", "starts at 7.5 s, at or after the end of the output (5 s): "
                              "it will not be in the video"),
    ]


def test_without_an_output_duration_nothing_is_late():
    job = parse_job({"elements": [{**TEXT, "duration": 1}, {**TEXT, "start": 60}]})
    assert job.warnings() == []
