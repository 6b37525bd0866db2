"""Inline caption cues (`captions.cues`) and their word timings, as the spec takes them.

Times are element-local seconds, like keyframes. A cue's `words` are its text's words in
order (the text split at whitespace), each with the window in which it is spoken: that is
what lets the render highlight the right word even after the cue is re-wrapped.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.composition.keyframes import field_problem
from shared.composition.subtitles import MAX_CUE_TEXT, MAX_CUES

__all__ = ["MAX_CUES", "CaptionWord", "Cue", "late_cue_warnings"]

MAX_WORDS = 1000
_Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class CaptionWord(_Strict):
    start: _Seconds
    end: _Seconds
    text: str = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _ends_after_start(self) -> CaptionWord:
        if self.end <= self.start:
            raise field_problem([("end", f"end ({self.end:g}) must be after start "
                                         f"({self.start:g})")])
        return self


class Cue(_Strict):
    start: _Seconds
    end: _Seconds
    text: str = Field(min_length=1, max_length=MAX_CUE_TEXT)
    words: list[CaptionWord] | None = Field(None, min_length=1, max_length=MAX_WORDS)

    @model_validator(mode="after")
    def _words_match_text(self) -> Cue:
        problems: list[tuple[str, str]] = []
        if self.end <= self.start:
            problems.append(("end", f"end ({self.end:g}) must be after start ({self.start:g})"))
        if self.words is not None:
            problems += self._word_problems(self.words)
        if problems:
            raise field_problem(problems)
        return self

    def _word_problems(self, words: list[CaptionWord]) -> list[tuple[str, str]]:
        tokens = self.text.split()
        if len(words) != len(tokens):
            return [("words", f"{len(words)} word timings for the {len(tokens)} words of the "
                              "text (one per word, in order)")]
        problems: list[tuple[str, str]] = []
        previous = self.start
        for number, (word, token) in enumerate(zip(words, tokens, strict=True)):
            if word.text != token:
                problems.append((f"words[{number}].text", f"{word.text!r} is not word "
                                 f"{number + 1} of the text ({token!r})"))
            if word.start < previous - 1e-9:
                problems.append((f"words[{number}].start",
                                 f"{word.start:g} is before the previous word's end or the "
                                 f"cue's start ({previous:g})"))
            if word.end > self.end + 1e-9:
                problems.append((f"words[{number}].end", f"{word.end:g} is after the cue's "
                                 f"end ({self.end:g})"))
            previous = max(previous, word.end)
        return problems


def late_cue_warnings(index: int, cues: list[Cue], start: float, length: float | None,
                      output_end: float | None) -> list[tuple[str, str]]:
    """Cues (by path) that start when their element, or the output, has already ended."""
    ends = [(end, what) for end, what in ((length, "the element"),
                                          (None if output_end is None else output_end - start,
                                           "the output"))
            if end is not None]
    found = []
    for number, cue in enumerate(cues):
        late = next(((end, what) for end, what in ends if cue.start >= end), None)
        if late is not None:
            found.append((f"elements[{index}].cues[{number}].start",
                          f"starts at {cue.start:g} s of the element, after {late[1]} ends: "
                          "it will not be shown"))
    return found
