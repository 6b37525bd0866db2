"""Rules of animated elements that depend on time: keyframes inside the element, entrances
and exits that fit, transitions that have an element to come from.

The spec's validators call them with the lengths the user fixed; the plan calls them again
with the lengths known only once the media are probed, so a problem is reported whichever
way the length was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from shared.composition.keyframes import Keyframes

__all__ = [
    "ANIMATED_FIELDS",
    "motion_problems",
    "previous_on_track",
    "probed_problems",
    "transition_problems",
    "volume_problems",
]

FieldProblems = list[tuple[str, str]]
ANIMATED_FIELDS = ("x", "y", "width", "height", "opacity", "rotation", "scale")
_VISUAL = ("video", "image", "text", "overlay", "captions", "shape")


def _keyframe_problems(name: str, value: object, length: float) -> FieldProblems:
    if not isinstance(value, Keyframes):
        return []
    problems: FieldProblems = []
    times: list[tuple[int, float]] = []
    for index, frame in enumerate(value.frames):
        seconds = frame.time.seconds(length)
        if not frame.time.percent and seconds > length + 1e-9:
            problems.append((f"{name}[{index}].time", f"{seconds:g} s is past the element's end "
                             f"(it lasts {length:g} s)"))
        times.append((index, seconds))
    for (before, earlier), (index, later) in pairwise(times):
        if later <= earlier and not problems:
            problems.append((f"{name}[{index}].time", f"times must increase: {later:g} s comes "
                             f"after {earlier:g} s ([{before}])"))
    return problems


def motion_problems(element: Any, length: float | None) -> FieldProblems:
    """Keyframes past the end, entrances and exits longer than the element, text-only
    entrances on pictures. `length` None: not known yet (the plan checks again)."""
    problems: FieldProblems = []
    for side in ("enter", "exit"):
        sugar = getattr(element, side)
        if sugar is not None and sugar.type in ("typewriter", "word-by-word") and (
            element.type != "text"
        ):
            problems.append((f"{side}.type", f"{sugar.type} applies to text elements only"))
    if length is None:
        return problems
    for name in ANIMATED_FIELDS:
        problems += _keyframe_problems(name, getattr(element, name), length)
    problems += volume_problems(element, length)
    enter = element.enter.duration if element.enter else 0.0
    leave = element.exit.duration if element.exit else 0.0
    if enter + leave > length + 1e-9:
        field = "exit.duration" if element.exit else "enter.duration"
        problems.append((field, f"enter and exit ({enter + leave:g} s) are longer than the "
                         f"element ({length:g} s)"))
    if element.transition is not None and element.transition.duration > length + 1e-9:
        problems.append(("transition.duration", f"{element.transition.duration:g} s is longer "
                         f"than this element ({length:g} s)"))
    return problems


def volume_problems(element: Any, length: float | None) -> FieldProblems:
    """Volume keyframes past the end of an element with sound (None: length not known yet)."""
    if length is None:
        return []
    return _keyframe_problems("volume", getattr(element, "volume", None), length)


def previous_on_track(elements: Sequence[Any], index: int) -> int | None:
    """The drawn element on the same track that starts last before elements[index]."""
    current = elements[index]
    best: int | None = None
    for other, element in enumerate(elements):
        if other == index or getattr(element, "type", None) not in _VISUAL:
            continue
        if element.track != current.track or element.start >= current.start:
            continue
        if best is None or element.start >= elements[best].start:
            best = other
    return best


def transition_problems(
    elements: Sequence[Any], ends: Sequence[float | None] | None = None
) -> FieldProblems:
    """Each transition needs an element before it on its track, shown until it is over.

    `ends`: each element's end when known (the plan's); by default the fixed ones.
    """
    problems: FieldProblems = []
    for index, element in enumerate(elements):
        transition = getattr(element, "transition", None)
        if transition is None:
            continue
        path = f"elements[{index}].transition"
        before = previous_on_track(elements, index)
        if before is None:
            problems.append((path, f"there is no element before this one on track "
                             f"{element.track} to transition from"))
            continue
        other = elements[before]
        end = ends[before] if ends is not None else _fixed_end(other)
        if end is None:
            continue
        needed = element.start + transition.duration
        if end < needed - 1e-6:
            problems.append((f"{path}.duration", f"elements[{before}] must be shown until "
                             f"{needed:g} s for this transition, but it ends at {end:g} s "
                             f"({needed - end:.3g} s too early)"))
        elif transition.duration > end - other.start + 1e-9:
            problems.append((f"{path}.duration", f"{transition.duration:g} s is longer than "
                             f"elements[{before}] ({end - other.start:g} s)"))
    return problems


def _fixed_end(element: Any) -> float | None:
    length = element.fixed_length
    return None if length is None else float(element.start + length)


def probed_problems(elements: Sequence[Any], ends: Sequence[float | None]) -> FieldProblems:
    """The rules again, with the ends known once the media are probed (elements with a
    fixed length were checked by validation already)."""
    problems: FieldProblems = [
        (f"elements[{index}].{field}", message)
        for index, element in enumerate(elements)
        if element.fixed_length is None and (end := ends[index]) is not None
        for field, message in (volume_problems if element.type == "audio"
                               else motion_problems)(element, end - element.start)
    ]
    problems += transition_problems(elements, ends)
    return list(dict.fromkeys(problems))
