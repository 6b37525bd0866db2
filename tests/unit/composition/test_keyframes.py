"""Keyframe maths: easing curves, holding before and after, and the FFmpeg expression
agreeing with Python's evaluation (checked with FFmpeg's own evaluator in the render tests;
here against known values of the CSS curves)."""

from __future__ import annotations

import pytest

from shared.composition.keyframes import LINEAR, Track, parse_easing


@pytest.mark.parametrize(("name", "share", "expected"), [
    ("linear", 0.5, 0.5),
    ("ease-in", 0.5, 0.3153),
    ("ease-out", 0.5, 0.6847),
    ("ease-in-out", 0.5, 0.5),
    ("ease-in-out", 0.25, 0.1291),
    ("step", 0.99, 0.0),
    ("step", 1.0, 1.0),
    ("cubic-bezier(0,0,1,1)", 0.3, 0.3),
])
def test_easing_curves_match_the_css_ones(name: str, share: float, expected: float) -> None:
    assert parse_easing(name)(share) == pytest.approx(expected, abs=2e-3)


def test_a_track_holds_before_and_after_and_eases_each_segment() -> None:
    ease_in = parse_easing("ease-in")
    track = Track(((1.0, 10.0, LINEAR), (2.0, 20.0, LINEAR), (4.0, 0.0, ease_in)))
    assert track.at(0.0) == 10.0 and track.at(9.0) == 0.0
    assert track.at(1.5) == pytest.approx(15.0)
    assert track.at(3.0) == pytest.approx(20.0 - 20.0 * ease_in(0.5))


def test_a_step_segment_jumps_at_its_keyframe() -> None:
    track = Track(((0.0, 0.0, LINEAR), (1.0, 5.0, parse_easing("step"))))
    assert track.at(0.999) == 0.0 and track.at(1.0) == 5.0


def test_a_constant_track_is_a_plain_number_in_ffmpeg() -> None:
    assert Track.constant(3.5).expression() == "3.5"
    assert "if(lt(t,2)" in Track(((0.0, 0.0, LINEAR), (2.0, 1.0, LINEAR))).expression()
