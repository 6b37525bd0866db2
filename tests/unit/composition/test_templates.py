"""Templates and the jobs made from them: every invalid template, merge value and
modification is named by its exact path, in the template document or in the job request
(with where a merged value landed in the template); valid ones merge as documented."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from shared.composition import SpecError
from shared.composition.templates import (
    apply_template,
    check_template,
    parse_ref,
    placeholders,
)

ID = "3f1c2b9e-0a4d-4e5f-8a6b-7c8d9e0f1a2b"
BASE: dict[str, Any] = {
    "name": "greeting",
    "composition": {
        "output": {"width": 320, "height": 180, "duration": 2, "background": "{{bg}}"},
        "elements": [
            {"id": "photo", "type": "image", "source": "https://example.com/p.png",
             "opacity": "{{opacity}}"},
            {"id": "title", "type": "text", "text": "Hello {{name}}!", "start": 0.5,
             "end": 2},
            {"id": "music", "type": "audio", "source": "https://example.com/m.mp3"},
        ],
    },
    "merge_fields": {"name": {"default": "Ana", "description": "who is greeted"},
                     "bg": {"default": "#000000"}},
}


def doc(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def comp(*elements: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A template with only these elements (and merge fields)."""
    return {"composition": {"elements": list(elements)}, **fields}


def element(index: int, **changes: Any) -> dict[str, Any]:
    """BASE with element `index` changed."""
    data = copy.deepcopy(BASE)
    data["composition"]["elements"][index].update(changes)
    return data


TEXT = {"type": "text", "text": "hi"}

TEMPLATE_CASES = [
    pytest.param([1], {"$"}, "JSON object", id="template-not-an-object"),
    pytest.param({"name": "x"}, {"composition"}, "required", id="composition-missing"),
    pytest.param(doc(composition=[]), {"composition"}, "dictionary", id="composition-a-list"),
    pytest.param(doc(compositon={}), {"compositon"}, 'did you mean "composition"',
                 id="unknown-top-level-field"),
    pytest.param(doc(name=""), {"name"}, "at least 1", id="empty-name"),
    pytest.param(doc(merge_fields={"name": {"default": ["a"]}, "bg": {}}),
                 {"merge_fields.name.default"}, "string, number or boolean",
                 id="default-not-a-scalar"),
    pytest.param(doc(merge_fields={"name": {"defualt": "Ana"}, "bg": {}}),
                 {"merge_fields.name.defualt"}, 'did you mean "default"',
                 id="merge-field-unknown-key"),
    pytest.param(doc(merge_fields={"name": {}, "bg": {}, "extra": {}}),
                 {"merge_fields.extra"}, "not used", id="declared-but-unused"),
    pytest.param(doc(merge_fields={"name": {}, "bg": {}, "two words": {}}),
                 {"merge_fields.two words"}, "letter", id="declared-bad-name"),
    pytest.param(element(1, text="Hi {{first name}} {{name}}"), {"composition.elements[1].text"},
                 "not a merge field", id="placeholder-bad-name"),
    pytest.param(element(1, id="{{slot}}"), {"composition.elements[1].id"},
                 "id cannot hold a merge field", id="placeholder-in-id"),
    pytest.param(element(1, type="{{kind}}"), {"composition.elements[1].type"},
                 "type cannot hold a merge field", id="placeholder-in-type"),
    pytest.param(doc(composition={**BASE["composition"], "response": "async"}),
                 {"composition.response"}, "belongs to the job", id="response-in-template"),
    pytest.param(doc(composition={**BASE["composition"], "callback_url": "https://x.y/"}),
                 {"composition.callback_url"}, "belongs to the job", id="callback-in-template"),
    pytest.param(element(2, volum=1), {"composition.elements[2].volum"}, 'did you mean "volume"',
                 id="composition-unknown-field"),
    pytest.param(element(1, end=0.2), {"composition.elements[1].end"}, "after start",
                 id="composition-cross-field"),
    pytest.param(comp(dict(TEXT, opacity="{{o}}"), merge_fields={"o": {"default": 2}}),
                 {"merge_fields.o.default"}, "(composition.elements[0].opacity)",
                 id="default-invalid-where-used"),
    pytest.param(comp(dict(TEXT, opacity="{{o}}"), dict(TEXT, id="a", x="sideways")),
                 {"composition.elements[1].x"}, "", id="placeholder-waits-others-checked"),
]


@pytest.mark.parametrize(("data", "paths", "words"), TEMPLATE_CASES)
def test_invalid_templates_name_each_path(data: Any, paths: set[str], words: str) -> None:
    with pytest.raises(SpecError) as caught:
        check_template(data)
    problems = caught.value.problems
    assert {p.path for p in problems} == paths, problems
    assert all(words in p.message for p in problems), problems


def request(**fields: Any) -> dict[str, Any]:
    return {"template": ID, "merge": {"opacity": 0.5}, **fields}


JOB_CASES = [
    pytest.param(request(merge={"opacity": 1, "nmae": "Bea"}),
                 {"merge.nmae": 'did you mean "name"'}, id="unknown-merge-field"),
    pytest.param(request(merge={}), {"merge.opacity": "is required (used at template "
                                                      "elements[0].opacity)"},
                 id="missing-required-merge-field"),
    pytest.param(request(merge={"opacity": [1]}), {"merge.opacity": "string, number or boolean"},
                 id="merge-value-a-list"),
    pytest.param(request(merge={"opacity": None}), {"merge.opacity": "string, number or boolean"},
                 id="merge-value-null"),
    pytest.param(request(merge={"opacity": "half"}),
                 {"merge.opacity": "opacity must be a number, got 'half' (or a list of keyframes: "
                                  "objects with time and value) (template elements[0].opacity)"},
                 id="merge-value-wrong-type"),
    pytest.param(request(merge={"opacity": 7}),
                 {"merge.opacity": "less than or equal to 1, got 7 (or a list of keyframes: "
                                  "objects with time and value) (template elements[0].opacity)"},
                 id="merge-value-out-of-range"),
    pytest.param(request(merge={"opacity": 1, "bg": "nocolour"}),
                 {"merge.bg": "(template output.background)"}, id="merge-bad-colour"),
    pytest.param(request(merge={"opacity": 1, "name": "x" * 5000}),
                 {"merge.name": "(template elements[1].text)"}, id="merge-text-too-long"),
    pytest.param(request(merge="Ana"), {"merge": "must be an object"}, id="merge-not-object"),
    pytest.param(request(modifications={"titel.text": "Hi"}),
                 {'modifications["titel.text"]': 'no element has the id "titel"'},
                 id="unknown-element-id"),
    pytest.param(request(modifications={"title": "Hi"}),
                 {'modifications["title"]': '"element-id.property"'}, id="modification-no-dot"),
    pytest.param(request(modifications={"title.colour": "red"}),
                 {'modifications["title.colour"]': 'no property "colour"; did you mean "color"'},
                 id="unknown-property"),
    pytest.param(request(modifications={"music.opacity": 0.5}),
                 {'modifications["music.opacity"]': 'the audio element "music" has no property'},
                 id="property-of-another-type"),
    pytest.param(request(modifications={"title.type": "image"}),
                 {'modifications["title.type"]': "type cannot be modified"},
                 id="modify-type"),
    pytest.param(request(modifications={"photo.id": "other"}),
                 {'modifications["photo.id"]': "id cannot be modified"}, id="modify-id"),
    pytest.param(request(modifications={"photo.opacity": "high"}),
                 {'modifications["photo.opacity"]': "opacity must be a number, got 'high'"},
                 id="modification-wrong-type"),
    pytest.param(request(modifications={"photo.opacity": 1.5}),
                 {'modifications["photo.opacity"]': "less than or equal to 1"},
                 id="modification-out-of-range"),
    pytest.param(request(modifications={"title.text": ""}),
                 {'modifications["title.text"]': "at least 1 character"},
                 id="modification-empty-text"),
    pytest.param(request(modifications={"photo.source": "https://x.y/" + "a" * 5000}),
                 {'modifications["photo.source"]': "at most 4096"}, id="modification-long-source"),
    pytest.param(request(modifications={"title.end": 0.1}),
                 {'modifications["title.end"]': "after start"}, id="modification-cross-field"),
    pytest.param(request(modifications={"title.font_size.x": 3}),
                 {'modifications["title.font_size.x"]': "not an object with fields"},
                 id="modification-into-a-scalar"),
    pytest.param(request(modifications=[1]), {"modifications": "must be an object"},
                 id="modifications-not-object"),
    pytest.param(request(output={"format": "mkv"}), {"output.format": "'mp4'"},
                 id="output-override-invalid"),
    pytest.param(request(output={"fpss": 30}), {"output.fpss": 'did you mean "fps"'},
                 id="output-override-unknown"),
    pytest.param(request(output=5), {"output": "must be an object"}, id="output-not-object"),
    pytest.param(request(elements=[]), {"elements": "come from the template"},
                 id="elements-beside-template"),
    pytest.param(request(modification={}), {"modification": 'did you mean "modifications"'},
                 id="unknown-request-field"),
    pytest.param(request(response="later"), {"response": "'immediate'"}, id="bad-response"),
    pytest.param(request(callback_url="ftp://x"), {"callback_url": "match pattern"},
                 id="bad-callback"),
]


@pytest.mark.parametrize(("data", "expected"), JOB_CASES)
def test_invalid_jobs_from_a_template_name_each_path(data: dict[str, Any],
                                                     expected: dict[str, str]) -> None:
    with pytest.raises(SpecError) as caught:
        apply_template(check_template(doc(merge_fields={
            **BASE["merge_fields"], "opacity": {}})), data)
    problems = {p.path: p.message for p in caught.value.problems}
    assert set(problems) == set(expected), problems
    for path, words in expected.items():
        assert words in problems[path], problems


def test_the_count_of_new_invalid_cases() -> None:
    assert len(TEMPLATE_CASES) + len(JOB_CASES) >= 25


def test_a_problem_of_the_template_alone_is_named_in_the_template() -> None:
    document = check_template(comp({"id": "t", "type": "text", "text": "{{who}}"},
                                   {"type": "image", "source": "https://x.y/a.png",
                                    "start": 5}))

    def limits(job: Any) -> list[Any]:
        from shared.composition import Problem
        return [Problem("elements[1].start", "too late")]

    with pytest.raises(SpecError) as caught:
        apply_template(document, {"template": ID, "merge": {"who": "x"}}, limits)
    assert [str(p) for p in caught.value.problems] == ["template.elements[1].start: too late"]


def test_defaults_whole_values_and_modifications_merge_as_documented() -> None:
    document = check_template(doc(merge_fields={**BASE["merge_fields"],
                                                "opacity": {"default": 0.25}}))
    job = apply_template(document, {"template": ID})
    assert job.elements[0].opacity == 0.25  # a whole-string placeholder keeps the number
    assert job.elements[1].text == "Hello Ana!"  # type: ignore[union-attr]
    job = apply_template(document, {
        "template": ID, "merge": {"name": 7, "opacity": "0.5"},
        "modifications": {"title.color": "red", "photo.opacity": None,
                          "title.text": "{{name}} stays literal"},
        "output": {"format": "webm"}, "response": "async", "metadata": {"row": 1}})
    photo, title = job.elements[0], job.elements[1]
    assert photo.opacity == 1.0  # null removed the property: its default
    assert title.text == "{{name}} stays literal"  # type: ignore[union-attr]
    assert str(title.color) != ""  # type: ignore[union-attr]
    assert (job.output.format, job.output.width, job.response, job.metadata) == (
        "webm", 320, "async", {"row": 1})
    assert apply_template(document, {"template": ID, "merge": {"name": True}}).elements[
        1].text == "Hello true!"  # type: ignore[union-attr]


def test_a_plain_composition_is_a_template_without_fields() -> None:
    document = check_template({"composition": {"elements": [{"id": "t", **TEXT}]}})
    assert document.fields() == {}
    job = apply_template(document, {"template": ID, "modifications": {"t.text": "changed"}})
    assert job.elements[0].text == "changed"  # type: ignore[union-attr]


def test_used_but_undeclared_fields_are_required() -> None:
    document = check_template(comp({"type": "text", "text": "{{a}} and {{ b }}"}))
    assert {name: field.required for name, field in document.fields().items()} == {
        "a": True, "b": True}
    assert placeholders(document.composition) == {"a": [("elements", 0, "text")],
                                                  "b": [("elements", 0, "text")]}


@pytest.mark.parametrize("value", ["", "abc", f"{ID}@0", f"{ID}@x", f"{ID}@", 3, None])
def test_bad_template_references(value: Any) -> None:
    with pytest.raises(SpecError) as caught:
        parse_ref(value)
    assert [p.path for p in caught.value.problems] == ["template"]


def test_template_references() -> None:
    assert parse_ref(ID).version is None
    assert parse_ref(f"{ID}@12").version == 12
    assert str(parse_ref(f"{ID}@12")) == f"{ID}@12"


def test_caption_cues_take_merge_fields_and_modifications() -> None:
    captions = {"id": "subs", "type": "captions", "highlight_color": "{{accent}}",
                "cues": [{"start": 0, "end": 1, "text": "Hi {{name}}"}]}
    document = check_template(comp(captions, merge_fields={"accent": {"default": "#ffd400"}}))
    job = apply_template(document, {"template": ID, "merge": {"name": "Ana"}})
    subs = job.elements[0]
    assert subs.cues[0].text == "Hi Ana"  # type: ignore[union-attr]
    assert subs.highlight_color is not None  # type: ignore[union-attr]
    job = apply_template(document, {"template": ID, "merge": {"name": "x"}, "modifications": {
        "subs.cues": [{"start": 0, "end": 2, "text": "Replaced"}], "subs.max_lines": 1}})
    subs = job.elements[0]
    assert [cue.text for cue in subs.cues] == ["Replaced"]  # type: ignore[union-attr]
    assert subs.max_lines == 1  # type: ignore[union-attr]
    with pytest.raises(SpecError) as caught:
        apply_template(document, {"template": ID, "merge": {"name": "x"},
                                  "modifications": {"subs.cues": []}})
    assert [p.path for p in caught.value.problems] == ['modifications["subs.cues"]']


def test_jobs_made_from_a_template_leave_it_as_it_was() -> None:
    """What a job leaves unmerged is shared with the template, not copied: changing one
    job (modifications, output, job fields) must still not change the template."""
    template = check_template(doc())
    before = copy.deepcopy(template.composition)
    request = {"template": ID, "merge": {"name": "Bo", "opacity": 0.5},
               "modifications": {"music.volume": 0.2, "photo.source": "https://example.com/q.png",
                                 "title.start": None},
               "output": {"format": "webm"}, "metadata": {"k": "v"}}
    first = apply_template(template, request)
    second = apply_template(template, {"template": ID, "merge": {"opacity": 1}})
    assert template.composition == before
    assert first.elements[2].volume == 0.2 and second.elements[2].volume == 1.0
    assert first.elements[1].start == 0 and second.elements[1].start == 0.5
    assert second.output.format == "mp4" and second.metadata == {}
