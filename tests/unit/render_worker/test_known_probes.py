"""The render uses the probes storage made (RenderRequested v2) and probes only the rest."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from services.render.staging import known_probes
from shared.events import PROBE_VERSION, Asset, MediaProbe, RenderRequested, parse_event
from shared.media.probe import ProbeError

SUMMARY = {"version": PROBE_VERSION, "duration": 2.5, "width": 640, "height": 360,
           "rotation": 0, "fps": 25.0, "has_video": True, "has_audio": False,
           "is_image": False, "has_alpha": False, "format": "mp4"}


def _asset(source: str, probe: MediaProbe | None) -> Asset:
    return Asset(source=source, sha256="0" * 64, bucket="b", key=f"assets/{source}", size=1,
                 probe=probe)


def test_a_carried_probe_answers_without_opening_the_file(tmp_path: Path) -> None:
    local = tmp_path / "never-written.mp4"  # probing it would fail: it does not exist
    probe_source = known_probes([_asset("clip.mp4", MediaProbe.from_stored(SUMMARY))],
                                {"clip.mp4": local})
    info = probe_source(local)
    assert (info.path, info.duration, info.width, info.height, info.fps) == (
        local, 2.5, 640, 360, 25.0)
    assert (info.has_video, info.has_audio, info.is_image) == (True, False, False)


def test_a_source_without_a_probe_is_probed_here(tmp_path: Path) -> None:
    local = tmp_path / "old.mp4"
    probe_source = known_probes([_asset("old.mp4", None)], {"old.mp4": local})
    with pytest.raises(ProbeError, match="file not found"):
        probe_source(local)


def test_storage_passes_on_only_current_media_probes() -> None:
    probe = MediaProbe.from_stored(SUMMARY)
    assert probe is not None and probe.current
    assert MediaProbe.from_stored({k: v for k, v in SUMMARY.items() if k != "version"}) is None
    assert MediaProbe.from_stored({**SUMMARY, "version": PROBE_VERSION + 1}) is None
    assert MediaProbe.from_stored({"font": "ttf", "format": "ttf"}) is None
    assert MediaProbe.from_stored(None) is None


def test_a_version_1_request_without_probes_still_parses() -> None:
    job_id = uuid4()
    old = {"type": "render.requested", "version": 1, "job_id": str(job_id), "spec": {},
           "assets": [{"source": "a.mp4", "sha256": "0" * 64, "bucket": "b", "key": "k",
                       "size": 1, "content_type": "video/mp4"}]}
    event = parse_event(old)
    assert isinstance(event, RenderRequested)
    assert (event.version, event.assets[0].probe) == (1, None)
    new = RenderRequested(job_id=job_id, spec={},
                          assets=[_asset("a.mp4", MediaProbe.from_stored(SUMMARY))])
    assert new.version == 2
    again = parse_event(new.model_dump_json())
    assert isinstance(again, RenderRequested) and again.assets == new.assets
