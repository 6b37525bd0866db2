"""One audio element's chain (or a video's sound): trimmed, looped, enveloped, faded and
delayed into place, in element-local time like the visual chains (services/render/layers.py).
"""

from __future__ import annotations

from typing import Any

from services.render.layers import InputOptions, open_input, salted, secs, shared_tag
from services.render.looks import atempo
from shared.composition.plan import AudioTrack

__all__ = ["audio_chain"]


def audio_chain(
    track: AudioTrack, *, t0: float, t1: float, input_options: InputOptions
) -> Any | None:
    """One audio element (or a video's sound): trimmed, looped, faded, delayed into place."""
    local_offset = max(0.0, t0 - track.start)
    left = track.source_left
    loop = track.loop and left > 0
    if not loop and local_offset >= left:
        return None
    position = local_offset % left if loop else local_offset
    options: dict[str, Any] = {}
    pcm_loop = loop and track.trim_start > 0
    speed = track.speed  # below, until atempo, times are source seconds
    seek = track.trim_start + (0.0 if pcm_loop else position * speed)
    if seek > 0:
        options["ss"] = secs(seek)
    if loop and not pcm_loop:
        options["stream_loop"] = -1
    if pcm_loop:
        options["t"] = secs(left * speed)
    elif not loop:
        options["t"] = secs((left - position) * speed)
    stream = open_input(track.source, shared_tag(track), options, input_options).audio
    # From here on the chain is the element's own, even where another element's chain
    # reads the same input.
    stream = salted(stream.filter("aformat", sample_rates=48000, channel_layouts="stereo"),
                    f"e{track.index}")
    if pcm_loop:
        # FFmpeg's input loop restarts at 0, not at trim_start: loop the decoded PCM instead
        # (memory: the trimmed source's length of 48 kHz stereo samples).
        samples = max(1, round(left * speed * 48000))
        stream = stream.filter("aloop", loop=-1, size=samples, start=0)
        stream = stream.filter("atrim", start_sample=round(position * speed * 48000))
    stream = atempo(stream, speed)
    visible = min(track.end, t1) - max(track.start, t0)
    # Timestamps counted from the samples: an input looped after a seek restarts its own
    # at every loop, and the gain below is an expression of them.
    stream = stream.filter("asetpts", f"N/SR/TB+{secs(local_offset)}/TB").filter(
        "atrim", end=secs(local_offset + visible)
    )
    duration = track.end - track.start
    stream = _gain(stream, track)
    if track.fade_in > 0:
        stream = stream.filter("afade", type="in", start_time=0, duration=track.fade_in)
    if track.fade_out > 0:
        stream = stream.filter(
            "afade", type="out", start_time=secs(duration - track.fade_out),
            duration=track.fade_out,
        )
    stream = stream.filter("asetpts", "PTS-STARTPTS")
    delay_ms = max(0.0, track.start - t0) * 1000
    if delay_ms > 0:
        stream = stream.filter("adelay", delays=f"{delay_ms:.3f}", all=1)
    return stream


# An animated volume is evaluated once per audio frame: frames of 10 ms make its steps
# small (1% of a 0 -> 1 ramp over a second) without the cost of a per-sample expression.
_ENVELOPE_SAMPLES = 480


def _gain(stream: Any, track: AudioTrack) -> Any:
    """The element's volume times its duck; an envelope is an expression of element-local
    `t` (the chain's timestamps are element-local here, so a slice computes the gain the
    full render does)."""
    volume = track.volume
    if volume.is_constant and track.duck is None:
        return stream if volume.first == 1 else stream.filter("volume", f"{volume.first:.4f}")
    gain = f"{volume.first:.4f}" if volume.is_constant else volume.expression("t")
    if track.duck is not None:
        gain = f"({gain})*{track.duck.expression('t')}"
    stream = stream.filter("asetnsamples", n=_ENVELOPE_SAMPLES, p=0)
    return stream.filter("volume", volume=gain, eval="frame")
