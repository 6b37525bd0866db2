"""Property: any merge data of the right types renders. A template with merge fields of
each kind a field's default declares (text, integer, decimal, boolean, colour) takes any
values of those kinds: text with any Unicode (quotes, colons, backslashes, percent signs,
braces, line breaks), numbers in their field's range, any colour notation. The merged job
must validate and compile to one FFmpeg command; a few of them are rendered for real on a
small canvas and must come out at the asked size."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.render.cli import local_locator
from services.render.engine import compile_job, prepare, render_sync
from shared.composition.templates import TemplateDocument, apply_template, check_template
from tests.unit.render.conftest import Media
from tests.unit.render.helpers import ENGINE, RENDER_TIMEOUT, stream_info

ID = "3f1c2b9e-0a4d-4e5f-8a6b-7c8d9e0f1a2b"
TEMPLATE = {
    "name": "every kind of merge field",
    "composition": {
        "output": {"width": 96, "height": 54, "fps": 10, "duration": 0.3,
                   "background": "{{bg}}", "quality": {"preset": "ultrafast"}},
        "elements": [
            {"id": "title", "type": "text", "text": "{{greeting}}, {{name}}: {{count}}%",
             "width": "90%", "height": "50%", "color": "{{fg}}", "wrap": "{{wrap}}"},
            {"id": "note", "type": "text", "text": "{{name}}\n{{ratio}}", "y": "90%",
             "x": "{{x}}", "font_size": "{{size}}", "opacity": "{{opacity}}",
             "stroke_color": "{{fg}}", "stroke_width": 1},
        ],
    },
    "merge_fields": {
        "greeting": {"default": "Hello"}, "name": {"default": "Ana"},
        "count": {"default": 3}, "ratio": {"default": 0.5}, "x": {"default": 4},
        "size": {"default": 10}, "opacity": {"default": 1.0}, "wrap": {"default": True},
        "fg": {"default": "white"}, "bg": {"default": "#000000"},
    },
}

_TRICKY = st.sampled_from(list("'\"\\:%;,=[]{}$`@#\n\r\t\u2028 "))
_ANY = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
_PIECES = st.sampled_from(["{{", "}}", "{{name}}", "%{pts}", "\\n", "'\\''", "\\:"])
TEXT = st.lists(st.one_of(st.text(st.one_of(_TRICKY, _ANY), max_size=12), _PIECES),
                max_size=6).map("".join)
_HEX = st.text("0123456789abcdefABCDEF", min_size=6, max_size=6)
COLOUR = st.one_of(
    _HEX.map(lambda h: f"#{h}"), _HEX.map(lambda h: f"#{h[:3]}"),
    st.tuples(_HEX, st.integers(0, 255)).map(lambda p: f"#{p[0]}{p[1]:02x}"),
    st.tuples(st.sampled_from(["white", "Red", "black", "transparent", "#123"]),
              st.floats(0, 1)).map(lambda p: f"{p[0]}@{p[1]:.3f}"),
)
NUMBER = st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False))


def merge_data() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={
        "greeting": TEXT, "name": TEXT, "count": NUMBER, "ratio": NUMBER,
        "x": st.integers(-200, 200), "size": st.integers(1, 60),
        "opacity": st.floats(0, 1), "wrap": st.booleans(), "fg": COLOUR, "bg": COLOUR,
    })


def _template() -> TemplateDocument:
    return check_template(TEMPLATE)


@settings(max_examples=200, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(merge=merge_data())
def test_any_merge_data_of_the_right_types_compiles(media: Media, merge: dict[str, Any]) -> None:
    job = apply_template(_template(), {"template": ID, "merge": merge})
    plan = prepare(job, local_locator(media.dir), settings=ENGINE)
    command = compile_job(plan, media.dir / "unused.mp4", settings=ENGINE).args
    assert "-filter_complex" in command
    assert len(plan.layers) == 2 and all(layer.text is not None for layer in plan.layers)


@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(merge=merge_data())
def test_any_merge_data_of_the_right_types_renders(media: Media, merge: dict[str, Any]) -> None:
    job = apply_template(_template(), {"template": ID, "merge": merge})
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "out.mp4"
        plan = prepare(job, local_locator(media.dir), settings=ENGINE)
        render_sync(plan, out, timeout=RENDER_TIMEOUT, settings=ENGINE)
        info = stream_info(out)
    assert (info.width, info.height) == (96, 54) and info.frames == 3
