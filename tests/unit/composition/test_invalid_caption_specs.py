"""Invalid captions, cues, word timings, soft subtitles and subtitle files: each rejected
with exactly the JSON paths that are wrong (the style of test_invalid_specs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.render.cli import local_locator
from services.render.engine import prepare
from shared.composition import SpecError, parse_job
from shared.settings import EngineSettings

CUE: dict[str, Any] = {"start": 0, "end": 1.5, "text": "Hello there"}
CAPTIONS: dict[str, Any] = {"type": "captions", "cues": [CUE]}
WORDS = [{"start": 0, "end": 0.5, "text": "Hello"}, {"start": 0.5, "end": 1.5, "text": "there"}]

ENGINE = EngineSettings()


def el(**changes: Any) -> dict[str, Any]:
    return {"elements": [{**CAPTIONS, **changes}]}


def cue(**changes: Any) -> dict[str, Any]:
    return el(cues=[{**CUE, **changes}])


def word(number: int, **changes: Any) -> dict[str, Any]:
    words = [dict(w) for w in WORDS]
    words[number].update(changes)
    return cue(words=words)


CASES = [
    pytest.param({"elements": [{"type": "captions"}]}, {"elements[0].cues"},
                 "need a source", id="captions-without-source-or-cues"),
    pytest.param(el(source="subs.srt"), {"elements[0].source"}, "not both",
                 id="captions-source-and-cues"),
    pytest.param(el(source=""), {"elements[0].source"}, "at least 1 character",
                 id="captions-empty-source"),
    pytest.param(el(cues=[]), {"elements[0].cues"}, "at least 1 item", id="cues-empty"),
    pytest.param(cue(end=0.5, start=1), {"elements[0].cues[0].end"}, "after start",
                 id="cue-ends-before-it-starts"),
    pytest.param(cue(start=-1), {"elements[0].cues[0].start"}, "greater than or equal to 0",
                 id="cue-negative-start"),
    pytest.param(el(cues=[{"start": 0, "end": 1}]), {"elements[0].cues[0].text"}, "required",
                 id="cue-without-text"),
    pytest.param(cue(text=" "), {"elements[0].cues[0].text"}, "at least 1 character",
                 id="cue-blank-text"),
    pytest.param(el(cues=[{**CUE, "txt": "x"}]), {"elements[0].cues[0].txt"},
                 'did you mean "text"', id="cue-unknown-field"),
    pytest.param(cue(words=WORDS[:1]), {"elements[0].cues[0].words"},
                 "1 word timings for the 2 words", id="words-fewer-than-the-text"),
    pytest.param(word(1, text="their"), {"elements[0].cues[0].words[1].text"},
                 "not word 2", id="word-text-not-the-texts-word"),
    pytest.param(word(1, start=0.25), {"elements[0].cues[0].words[1].start"},
                 "before the previous word's end", id="word-starts-before-previous-ends"),
    pytest.param(word(1, end=2), {"elements[0].cues[0].words[1].end"}, "after the cue's end",
                 id="word-after-the-cue"),
    pytest.param(word(0, end=0), {"elements[0].cues[0].words[0].end"}, "after start",
                 id="word-ends-before-it-starts"),
    pytest.param(el(max_lines=0), {"elements[0].max_lines"}, "greater than or equal to 1",
                 id="max-lines-zero"),
    pytest.param(el(max_lines=2.5), {"elements[0].max_lines"}, "integer",
                 id="max-lines-fraction"),
    pytest.param(el(highlight_color="bright"), {"elements[0].highlight_color"}, "colour",
                 id="highlight-colour-unknown"),
    pytest.param(el(fit="cover"), {"elements[0].fit"}, "does not apply to captions",
                 id="captions-fit"),
    pytest.param(el(enter={"type": "typewriter", "duration": 1}), {"elements[0].enter.type"},
                 "text elements only", id="captions-typewriter"),
    pytest.param(el(motion={"type": "zoom-in"}), {"elements[0].motion"}, "captions has none",
                 id="captions-motion-preset"),
    pytest.param({"elements": [{**CAPTIONS, "type": "caption"}]}, {"elements[0].type"},
                 'did you mean "captions"', id="element-type-caption"),
    pytest.param({**el(), "output": {"subtitles": "hard"}}, {"output.subtitles"}, "soft",
                 id="subtitles-not-soft"),
    pytest.param({**el(), "output": {"format": "avi", "subtitles": "soft"}},
                 {"output.subtitles"}, "avi cannot hold a subtitle stream",
                 id="subtitles-in-avi"),
    pytest.param({**el(), "output": {"format": "gif", "width": 64, "height": 64,
                                     "subtitles": "soft"}},
                 {"output.subtitles"}, "gif cannot hold", id="subtitles-in-gif"),
    pytest.param({"elements": [{"type": "text", "text": "Hi"}], "output": {"subtitles": "soft"}},
                 {"output.subtitles"}, "no captions element", id="soft-subtitles-without-captions"),
    pytest.param(el(burn=False), {"elements[0].burn"}, "draws nothing",
                 id="burn-false-without-soft-subtitles"),
]


@pytest.mark.parametrize(("spec", "paths", "words"), CASES)
def test_invalid_captions_report_exact_paths(spec: dict[str, Any], paths: set[str],
                                             words: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_job(spec)
    found = {problem.path for problem in caught.value.problems}
    assert found == paths, caught.value.problems
    messages = " ".join(p.message for p in caught.value.problems if p.path in paths)
    assert words in messages, messages


FILES = [
    pytest.param("subs.srt", b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:02,500 -> "
                             b"00:00:03,000\nx\n", "line 6: expected a timing line",
                 id="srt-bad-arrow"),
    pytest.param("subs.vtt", b"WEBVTT\n\n00:01.000 --> 00:00.500\nbackwards\n",
                 "line 3: the cue ends", id="vtt-cue-backwards"),
    pytest.param("subs.srt", b"1\n00:00:01,000 --> 00:00:02,000\n\xff\xfe\n",
                 "line 3: not UTF-8", id="srt-not-utf8"),
    pytest.param("subs.srt", b"", "line 1: the file has no cues", id="srt-empty"),
]


@pytest.mark.parametrize(("name", "data", "message"), FILES)
def test_a_malformed_subtitle_file_names_the_source_and_its_line(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    spec = {"elements": [{"type": "text", "text": "x"},
                         {"type": "captions", "source": name}]}
    with pytest.raises(SpecError) as caught:
        prepare(parse_job(spec), local_locator(tmp_path), settings=ENGINE)
    assert [p.path for p in caught.value.problems] == ["elements[1].source"]
    assert message in caught.value.problems[0].message


def test_a_missing_subtitle_file_names_the_source(tmp_path: Path) -> None:
    spec = {"elements": [{"type": "captions", "source": "gone.srt"}]}
    with pytest.raises(SpecError) as caught:
        prepare(parse_job(spec), local_locator(tmp_path), settings=ENGINE)
    assert [p.path for p in caught.value.problems] == ["elements[0].source"]
    assert "not found" in caught.value.problems[0].message


def test_source_cues_become_inline_cues_with_the_files_times(tmp_path: Path) -> None:
    (tmp_path / "a.vtt").write_text("WEBVTT\n\n00:00.500 --> 00:01.000\nHi\n")
    spec = {"elements": [{"type": "captions", "source": "a.vtt", "start": 2}]}
    plan = prepare(parse_job(spec), local_locator(tmp_path), settings=ENGINE)
    layer = plan.layers[0]
    assert (layer.kind, layer.start, layer.end) == ("captions", 2.0, 3.0)
    assert layer.captions is not None
    assert [(p.start, p.end, p.layout.lines) for p in layer.captions.pages] == [
        (0.5, 1.0, ("Hi",))]


def test_cues_after_the_element_or_the_output_end_are_warned_about() -> None:
    job = parse_job({"output": {"duration": 5}, "elements": [
        {"type": "captions", "start": 1, "duration": 3, "cues": [
            {"start": 0, "end": 1, "text": "shown"}, {"start": 3, "end": 4, "text": "cut"}]},
        {"type": "captions", "start": 2, "cues": [
            {"start": 2.5, "end": 3, "text": "shown"}, {"start": 3, "end": 4, "text": "late"}]}]})
    warnings = {p.path: p.message for p in job.warnings()}
    assert set(warnings) == {"elements[0].cues[1].start", "elements[1].cues[1].start"}
    assert "after the element ends" in warnings["elements[0].cues[1].start"]
    assert "after the output ends" in warnings["elements[1].cues[1].start"]
