"""Sound fields of the spec: `duck` on an element with sound and `output.loudness`.

A duck is resolved against the plan's audio tracks (shared.composition.plan): the named
elements' windows of sound, in the ducked element's local seconds, become part of its gain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Duck", "DuckPlan", "Loudness", "duck_problems", "duck_windows"]

_STRICT = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Duck(BaseModel):
    """Lower this element by `amount_db` while the elements named in `under` sound."""

    model_config = _STRICT

    under: list[str] = Field(min_length=1, max_length=100)
    amount_db: float = Field(-12.0, ge=-60, le=-1, allow_inf_nan=False)
    attack: float = Field(0.2, ge=0, le=10, allow_inf_nan=False)
    release: float = Field(0.5, ge=0, le=10, allow_inf_nan=False)


class Loudness(BaseModel):
    """The mix normalised to `target_lufs` (integrated, EBU R128) under `true_peak` dBTP.

    The ranges are those of FFmpeg's loudnorm filter."""

    model_config = _STRICT

    target_lufs: float = Field(-14.0, ge=-70, le=-5, allow_inf_nan=False)
    true_peak: float = Field(-1.0, ge=-9, le=0, allow_inf_nan=False)


@dataclass(frozen=True)
class DuckPlan:
    amount_db: float
    attack: float
    release: float
    windows: tuple[tuple[float, float], ...]  # element-local seconds the named ones sound

    def expression(self, t: str) -> str:
        """The duck's gain (a factor <= 1) as an FFmpeg expression of element-local `t`:
        in dB it ramps linearly to `amount_db` over `attack` from each window's start and
        back over `release` from its end; overlapping ramps take the deeper one."""
        ramps = [
            f"clip(min(({t}-{a:.6f})/{max(self.attack, 1e-3):.6f},"
            f"1-({t}-{b:.6f})/{max(self.release, 1e-3):.6f}),0,1)"
            for a, b in self.windows
        ]
        depth = ramps[0]
        for ramp in ramps[1:]:
            depth = f"max({depth},{ramp})"
        return f"pow(10,{self.amount_db:.4f}*{depth}/20)"


def duck_problems(elements: Sequence[Any], ids: Sequence[str]) -> list[tuple[str, str]]:
    """Every `duck.under` entry that names no element, the element itself, or one that
    cannot sound (only audio and video elements have sound)."""
    problems: list[tuple[str, str]] = []
    kinds = {name: getattr(element, "type", "") for name, element in zip(ids, elements,
                                                                          strict=True)}
    for index, element in enumerate(elements):
        duck = getattr(element, "duck", None)
        if duck is None:
            continue
        for position, name in enumerate(duck.under):
            path = f"elements[{index}].duck.under[{position}]"
            if name == ids[index]:
                problems.append((path, f"an element cannot duck under itself ('{name}')"))
            elif name not in kinds:
                problems.append((path, f"no element has the id '{name}'"))
            elif kinds[name] not in ("audio", "video"):
                problems.append((path, f"'{name}' is a {kinds[name]} element, which has no "
                                       "sound; name audio or video elements"))
    return problems


def duck_windows(
    duck: Duck, own_start: float, sounding: Sequence[tuple[str, float, float]]
) -> DuckPlan | None:
    """The duck in element-local seconds: `sounding` is (id, start, end) of every track
    with sound. None when none of the named elements sounds at all."""
    names = set(duck.under)
    spans = sorted((start - own_start, end - own_start)
                   for name, start, end in sounding if name in names and end > start)
    if not spans:
        return None
    return DuckPlan(duck.amount_db, duck.attack, duck.release, tuple(spans))
