"""Probing accepts exactly the demuxers the render accepts: a source the render would refuse
is refused when the job is checked (exit 2 / a rejected job), not halfway through a render."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.media.probe import ALLOWED_DEMUXERS, ProbeError, probe
from tests.unit.render.helpers import ffmpeg


@pytest.mark.parametrize(("name", "demuxer"), [("tone.au", "au"), ("tone.voc", "voc")])
def test_a_format_outside_the_render_whitelist_is_refused_naming_what_is_accepted(
    tmp_path: Path, name: str, demuxer: str
) -> None:
    assert demuxer not in ALLOWED_DEMUXERS.split(",")
    path = tmp_path / name
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(path))
    with pytest.raises(ProbeError, match="accepted format") as refused:
        probe(path)
    assert "wav" in str(refused.value) and "mp4" in str(refused.value)


def test_the_same_sound_in_an_accepted_format_is_probed(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(path))
    info = probe(path)
    assert info.has_audio and not info.has_video
    assert info.duration == pytest.approx(1.0, abs=0.01)
