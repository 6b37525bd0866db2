"""The earlier version's create body, converted to the native spec."""

from __future__ import annotations

import pytest

from services.ingest.compat import compat_path, to_native
from shared.composition import SpecError, parse_job

EARLIER = {
    "output_format": "mov",
    "width": 1920,
    "height": 1080,
    "elements": [
        {"id": "bg", "type": "video", "source": "https://example.com/bg.mp4", "track": 1,
         "x": "0%", "y": "0%", "width": "100%", "height": "100%", "fit_mode": "cover"},
        {"id": "logo", "type": "image", "source": "https://example.com/logo.png", "track": 2,
         "x": "95%", "y": "5%", "width": "10%", "fit_mode": "contain"},
    ],
}


def test_converts_output_and_elements() -> None:
    native = to_native(EARLIER)
    assert native["output"] == {"format": "mov", "width": 1920, "height": 1080}
    assert native["response"] == "auto"
    assert native["elements"] == [
        {"id": "bg", "type": "video", "source": "https://example.com/bg.mp4", "track": 1,
         "x": "0%", "y": "0%", "width": "100%", "height": "100%", "fit": "cover"},
        {"id": "logo", "type": "image", "source": "https://example.com/logo.png", "track": 2,
         "x": "95%", "y": "5%", "width": "10%", "fit": "contain"},
    ]
    job = parse_job(native)
    assert job.output.format == "mov"
    assert [element.fit for element in job.elements] == ["cover", "contain"]


def test_unknown_fields_are_ignored_like_the_earlier_version() -> None:
    native = to_native({**EARLIER, "quality": "high",
                        "elements": [{**EARLIER["elements"][0], "duration_hint": 3}]})
    assert "quality" not in native
    assert "duration_hint" not in native["elements"][0]
    parse_job(native)


def test_delivery_options_pass_through() -> None:
    native = to_native({**EARLIER, "response": "async", "idempotency_key": "k-1",
                        "callback_url": "https://example.com/hook"})
    assert native["response"] == "async"
    assert native["idempotency_key"] == "k-1"
    assert native["callback_url"] == "https://example.com/hook"


def _paths(data: object) -> set[str]:
    with pytest.raises(SpecError) as info:
        to_native(data)
    return {problem.path for problem in info.value.problems}


def test_element_count_must_be_one_to_ten() -> None:
    assert _paths({**EARLIER, "elements": []}) == {"elements"}
    many = [{"type": "image", "source": f"https://example.com/{i}.png"} for i in range(11)]
    assert _paths({**EARLIER, "elements": many}) == {"elements"}


def test_every_problem_of_the_body_is_reported() -> None:
    body = {"output_format": "webm", "width": "wide",
            "elements": [{"type": "audio", "source": "x"}, {"type": "video"}]}
    assert _paths(body) == {"output_format", "width", "elements[0].type",
                            "elements[1].source"}


def test_problems_found_natively_come_with_those_of_the_body() -> None:
    body = {**EARLIER, "output_format": "webm", "height": 1081,
            "elements": [{**EARLIER["elements"][0], "fit_mode": "squash", "x": "left-ish"},
                         {"type": "image"}]}
    assert _paths(body) == {"output_format", "height", "elements[0].fit_mode",
                            "elements[0].x", "elements[1].source"}


def test_not_an_object() -> None:
    assert _paths([EARLIER]) == {"$"}


@pytest.mark.parametrize(("native", "earlier"), [
    ("output.format", "output_format"),
    ("output.width", "width"),
    ("output.height", "height"),
    ("elements[3].fit", "elements[3].fit_mode"),
    ("elements[3].width", "elements[3].width"),
    ("elements", "elements"),
])
def test_native_problem_paths_use_the_earlier_names(native: str, earlier: str) -> None:
    assert compat_path(native) == earlier


def test_native_validation_problems_map_back_to_earlier_fields() -> None:
    native = to_native({**EARLIER, "width": 1921,
                        "elements": [{**EARLIER["elements"][0], "fit_mode": "squash"}]})
    with pytest.raises(SpecError) as info:
        parse_job(native)
    paths = {compat_path(problem.path) for problem in info.value.problems}
    assert paths == {"width", "elements[0].fit_mode"}
