"""The HLS master playlist over a job's HLS renditions, written after the run.

FFmpeg writes each variant (fMP4 segments and its media playlist). The master playlist is
written here rather than by FFmpeg's own `-master_pl_name` (which needs every variant in one
muxer and one `var_stream_map`), so each variant keeps its own encoder like any other
rendition. BANDWIDTH is the variant's peak bit rate over its segments (the init segment
counted with the first, as a player fetches both), AVERAGE-BANDWIDTH the mean, both from
the files' real sizes; CODECS comes from the init segment's avcC box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from shared.composition.delivery import ResolvedRendition

__all__ = ["Segment", "Variant", "master_playlist", "read_variant"]

AAC_LC = "mp4a.40.2"


@dataclass(frozen=True)
class Segment:
    path: Path
    duration: float


@dataclass(frozen=True)
class Variant:
    rendition: ResolvedRendition
    playlist: Path
    init: Path | None
    segments: list[Segment]
    codecs: str | None
    fps: float

    @property
    def duration(self) -> float:
        return sum(segment.duration for segment in self.segments)

    def bandwidth(self) -> tuple[int, int]:
        """(peak, average) bits per second."""
        sizes = [segment.path.stat().st_size for segment in self.segments]
        if self.init is not None and sizes:
            sizes[0] += self.init.stat().st_size
        rates = [size * 8 / segment.duration for size, segment in zip(sizes, self.segments,
                                                                      strict=True)
                 if segment.duration > 0]
        total = self.duration
        return (math.ceil(max(rates, default=0.0)),
                math.ceil(sum(sizes) * 8 / total) if total > 0 else 0)


def _codecs(init: Path) -> str | None:
    """`avc1.PPCCLL` from the avcC record (profile, constraints, level), and AAC-LC."""
    import av

    with av.open(str(init)) as container:
        video = container.streams.video[0].codec_context.extradata if container.streams.video \
            else None
        has_audio = bool(container.streams.audio)
    if not video or len(video) < 4 or video[0] != 1:
        return None
    codecs = [f"avc1.{video[1]:02x}{video[2]:02x}{video[3]:02x}"]
    return ",".join(codecs + ([AAC_LC] if has_audio else []))


def read_variant(rendition: ResolvedRendition, playlist: Path, fps: float) -> Variant:
    """A variant as FFmpeg wrote it: its media playlist, init segment and segments."""
    folder = playlist.parent
    init: Path | None = None
    segments: list[Segment] = []
    duration: float | None = None
    for line in playlist.read_text(encoding="utf-8").splitlines():
        if line.startswith("#EXT-X-MAP:"):
            init = folder / line.split('URI="', 1)[1].split('"', 1)[0]
        elif line.startswith("#EXTINF:"):
            duration = float(line.removeprefix("#EXTINF:").split(",", 1)[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append(Segment(folder / line, duration))
            duration = None
    codecs = _codecs(init) if init is not None else None
    return Variant(rendition, playlist, init, segments, codecs, fps)


def master_playlist(variants: list[Variant], base: Path) -> str:
    """The master playlist text; variant URIs relative to `base` (the master's folder),
    highest bandwidth first."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for variant in sorted(variants, key=lambda v: v.bandwidth()[0], reverse=True):
        peak, average = variant.bandwidth()
        rendition = variant.rendition
        attributes = [f"BANDWIDTH={peak}", f"AVERAGE-BANDWIDTH={average}",
                      f"RESOLUTION={rendition.width}x{rendition.height}",
                      f"FRAME-RATE={variant.fps:.3f}"]
        if variant.codecs:
            attributes.append(f'CODECS="{variant.codecs}"')
        lines.append(f"#EXT-X-STREAM-INF:{','.join(attributes)}")
        lines.append(variant.playlist.relative_to(base).as_posix())
    return "\n".join(lines) + "\n"
