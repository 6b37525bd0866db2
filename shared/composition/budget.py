"""Bounds on decoded pixels, so no job can exhaust a render worker's memory.

FFmpeg holds every visual element's pictures while it composes: the source's decoded frame,
the frame scaled to fit, and the element's box (a text's drawn box). Four 16000×16000
images on a tiny canvas took 2.6 GB. Each element's three areas are bounded
(`PixelLimits.element`), and so is their sum over the job (`PixelLimits.job`); the
settings are VIDGEN_MAX_ELEMENT_PIXELS and VIDGEN_MAX_JOB_PIXELS (EngineSettings).

Intake checks what the spec alone decides (boxes with both sides given, on the output
canvas: `spec_problems`); the plan checks everything once sources are probed and text is
laid out (`source_problems`, `plan_problems`), each at the field that sets the size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.composition.animation import reference_length
from shared.composition.errors import Problem
from shared.composition.spec import AudioElement, Job, TextElement

if TYPE_CHECKING:
    from shared.composition.plan import VisualLayer
    from shared.media.probe import MediaInfo

__all__ = ["DEFAULT_ELEMENT_PIXELS", "DEFAULT_JOB_PIXELS", "PixelLimits", "plan_problems",
           "source_problems", "spec_problems"]

DEFAULT_ELEMENT_PIXELS = 64 * 1024**2  # 8192×8192: 256 MiB as RGBA
DEFAULT_JOB_PIXELS = 256 * 1024**2  # 1 GiB as RGBA; a hundred full-HD stills fit


@dataclass(frozen=True)
class PixelLimits:
    element: int = DEFAULT_ELEMENT_PIXELS
    job: int = DEFAULT_JOB_PIXELS


def _path(index: int, field: str) -> str:
    return f"elements[{index}].{field}"


def _size_field(element: object) -> str:
    """The field that sets an element's drawn size."""
    if getattr(element, "width", None) is not None:
        return "width"
    if getattr(element, "height", None) is not None:
        return "height"
    return "font_size" if isinstance(element, TextElement) else "source"


def _too_big(what: str, width: int, height: int, most: int) -> str:
    return (f"{what} {width}×{height} = {width * height} pixels, more than the "
            f"{most} one element may use (VIDGEN_MAX_ELEMENT_PIXELS)")


def _job_problem(total: int, limits: PixelLimits) -> Problem:
    return Problem("elements", f"the elements use {total} decoded pixels together, more than "
                               f"the {limits.job} one job may use (VIDGEN_MAX_JOB_PIXELS)")


def spec_problems(job: Job, limits: PixelLimits) -> list[Problem]:
    """Boxes the spec fixes on its own (width and height both given)."""
    problems: list[Problem] = []
    total = 0
    width, height = job.output.width, job.output.height
    for index, element in enumerate(job.elements):
        if isinstance(element, AudioElement):
            continue
        # an animated size is bounded by the largest its keyframes reach
        ref_w = reference_length(element.width, width)
        ref_h = reference_length(element.height, height)
        if ref_w is None or ref_h is None:
            continue
        box_w = max(1, round(ref_w.resolve(width)))
        box_h = max(1, round(ref_h.resolve(height)))
        total += box_w * box_h
        if box_w * box_h > limits.element:
            problems.append(Problem(_path(index, "width"),
                                    _too_big("the box is", box_w, box_h, limits.element)))
    if not problems and total > limits.job:
        problems.append(_job_problem(total, limits))
    return problems


def source_problems(index: int, media: MediaInfo, limits: PixelLimits) -> list[Problem]:
    """A source whose decoded frame alone is past the element bound."""
    if media.width and media.height and media.width * media.height > limits.element:
        return [Problem(_path(index, "source"),
                        _too_big("decodes to", media.width, media.height, limits.element))]
    return []


def _layer_pixels(layer: VisualLayer) -> int:
    place = layer.placement
    source = layer.media.width * layer.media.height if (
        layer.media is not None and layer.media.width and layer.media.height) else 0
    return source + place.scaled_w * place.scaled_h + place.width * place.height


def plan_problems(elements: Sequence[object], layers: Sequence[VisualLayer],
                  limits: PixelLimits) -> list[Problem]:
    """Each layer's scaled frame and box within the element bound; all within the job's."""
    problems: list[Problem] = []
    for layer in layers:
        place = layer.placement
        field = _size_field(elements[layer.index])
        for what, w, h in (("the element is drawn at", place.width, place.height),
                           ("the source is scaled to", place.scaled_w, place.scaled_h)):
            if w * h > limits.element:
                problems.append(Problem(_path(layer.index, field),
                                        _too_big(what, w, h, limits.element)))
                break
    total = sum(_layer_pixels(layer) for layer in layers)
    if not problems and total > limits.job:
        problems.append(_job_problem(total, limits))
    return problems
