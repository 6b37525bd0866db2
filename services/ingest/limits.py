"""Limits on what one job may ask for, beyond what the spec itself allows (configurable,
ApiSettings): elements, output duration and size, text length, the request body, and the
boxes the spec fixes against the decoded-pixel bounds (shared/composition/budget.py); and,
for every job however it came (HTTP or the requests topic), the size of its events.

A job is accepted only if every event it leads to fits the producer's message limit
(VIDGEN_KAFKA_MAX_MESSAGE_BYTES): JobAccepted carries the spec as the outbox stores it, and
storage's RenderRequested carries it again with one Asset per source. `event_problems`
bounds the larger of the two, so a job that is accepted can always be published.

Each breach is a problem at the offending field's JSON path, answered like any invalid spec
(422); a body larger than allowed is 413 before it is read. The total size of a job's
sources is only known once they are downloaded: storage enforces that
(VIDGEN_MAX_JOB_SOURCE_BYTES, the job fails with error_code `sources_too_large`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import HTTPException, Request

from services.ingest.api_settings import ApiSettings
from shared.composition import MAX_DEPTH, Job, Problem, SpecError
from shared.composition.budget import PixelLimits, spec_problems
from shared.composition.delivery import resolve_renditions
from shared.composition.spec import CaptionsElement
from shared.outbox import size_bound, stored_size

__all__ = ["ASSET_BYTES", "ENVELOPE_BYTES", "event_bytes", "event_problems", "job_problems",
           "read_json"]

# an Asset beside its source URL: sha256, bucket, key, size, content type, punctuation
ASSET_BYTES = 1024
# an event's own fields (ids, time, producer, trace context), its headers and the record's
# framing in the batch
ENVELOPE_BYTES = 4096


def _sources(spec: dict[str, Any]) -> set[str]:
    return {value for element in spec.get("elements", ()) if isinstance(element, dict)
            for name in ("source", "font", "lut") if isinstance(value := element.get(name), str)}


def event_bytes(spec: dict[str, Any]) -> int:
    """At most how large the largest event carrying `spec` (RenderRequested) is."""
    return (stored_size(spec) + sum(stored_size(source) + ASSET_BYTES
                                    for source in _sources(spec)) + ENVELOPE_BYTES)


def _surely_fits(spec: dict[str, Any], max_bytes: int) -> bool:
    """The events fit by a cheap upper bound (shared.outbox.size_bound): the exact measure,
    a tenth of a job's intake, is left for specs near the limit."""
    bound = size_bound(spec)
    return bound is not None and (bound + sum(stored_size(source) + ASSET_BYTES
                                              for source in _sources(spec))
                                  + ENVELOPE_BYTES) <= max_bytes


def event_problems(spec: dict[str, Any], max_bytes: int) -> list[Problem]:
    """The job's events would not fit a message: named at the spec's largest field."""
    if _surely_fits(spec, max_bytes):
        return []
    size = event_bytes(spec)
    if size <= max_bytes:
        return []
    largest = max(spec, key=lambda name: stored_size(spec[name]))
    return [Problem(largest, f"the job's events would be {size} bytes, more than the "
                             f"{max_bytes}-byte message limit (VIDGEN_KAFKA_MAX_MESSAGE_BYTES); "
                             f"{largest} is the largest part")]


def job_problems(job: Job, limits: ApiSettings,
                 pixels: PixelLimits | None = None) -> list[Problem]:
    problems = spec_problems(job, pixels or PixelLimits())
    if len(job.elements) > limits.max_elements:
        problems.append(Problem("elements", f"at most {limits.max_elements} elements, "
                                            f"got {len(job.elements)}"))
    for name, value, cap in (("width", job.output.width, limits.max_width),
                             ("height", job.output.height, limits.max_height)):
        if value > cap:
            where = "output" if job.outputs is None else "outputs[0]"
            problems.append(Problem(f"{where}.{name}", f"at most {cap} pixels, got {value}"))
    if job.outputs is not None and len(job.outputs) > limits.max_renditions:
        problems.append(Problem("outputs", f"at most {limits.max_renditions} renditions "
                                           f"(VIDGEN_MAX_RENDITIONS), got {len(job.outputs)}"))
    problems += [Problem(f"outputs[{rendition.index}].{name}", f"at most {cap} pixels, got {value}")
                 for rendition in resolve_renditions(job.outputs or [], (job.output.width,
                                                                          job.output.height))
                 for name, value, cap in (("width", rendition.width, limits.max_width),
                                          ("height", rendition.height, limits.max_height))
                 if value > cap and rendition.index > 0]
    most = limits.max_duration
    if job.output.duration is not None and job.output.duration > most:
        problems.append(Problem("output.duration",
                                f"at most {most:g} s, got {job.output.duration:g}"))
    for index, element in enumerate(job.elements):
        length = element.fixed_length or 0.0
        last_cue = _last_cue(element) if element.fixed_length is None else None
        if last_cue is not None:
            length = last_cue[1]
        if element.start + length > most:
            field = "end" if element.end is not None else "duration" if length else "start"
            if last_cue is not None:
                field = f"cues[{last_cue[0]}].end"
            problems.append(Problem(f"elements[{index}].{field}",
                                    f"the element ends after the {most:g} s limit"))
        texts = [("text", getattr(element, "text", None))]
        if isinstance(element, CaptionsElement):
            texts = [(f"cues[{number}].text", cue.text)
                     for number, cue in enumerate(element.cues or [])]
        problems += [Problem(f"elements[{index}].{field}",
                             f"at most {limits.max_text_length} characters, got {len(text)}")
                     for field, text in texts
                     if isinstance(text, str) and len(text) > limits.max_text_length]
    return problems


def _last_cue(element: object) -> tuple[int, float] | None:
    """(index, end) of the inline cue that ends last: a captions element's length when it
    sets none (a subtitle file's cues are known once it is downloaded)."""
    if not isinstance(element, CaptionsElement) or not element.cues:
        return None
    ends = [cue.end for cue in element.cues]
    return ends.index(max(ends)), max(ends)


async def read_json(request: Request, max_bytes: int) -> Any:
    """The decoded body, read at most `max_bytes` far (413 beyond); undecodable JSON is a
    spec problem at `$` (422)."""
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise HTTPException(413, f"$: the body is larger than {max_bytes} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise HTTPException(413, f"$: the body is larger than {max_bytes} bytes")
    try:
        return json.loads(bytes(body))
    except RecursionError:  # the decoder's own stack, some hundreds of levels down
        raise SpecError([Problem("$", f"nested too deep: at most {MAX_DEPTH} levels of "
                                      "objects and arrays")]) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise SpecError([Problem("$", f"not valid JSON: {exc}")]) from None
