"""The media and compositions the render tests use; media is generated with FFmpeg's lavfi."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shared.settings import engine_settings

__all__ = ["CLIP_URL", "LOGO_URL", "NOTES_URL", "Media", "make_media", "slow_spec", "tiny_spec"]

CLIP_URL = "https://media.example.com/clip.mp4"
LOGO_URL = "https://media.example.com/logo.png"
NOTES_URL = "https://media.example.com/notes.txt"


def _ffmpeg(*args: str) -> None:
    command = [engine_settings().ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


@dataclass(frozen=True)
class Media:
    """clip.mp4: 160x120, 25 fps, 2 s testsrc2 + 440 Hz tone; logo.png: 32x32 yellow;
    notes.txt: plain text (not media)."""

    clip: Path
    logo: Path
    notes: Path


def tiny_spec(*, poster: bool = True) -> dict[str, Any]:
    """1.6 s of 192x108: the clip, a logo and a caption; renders in well under a second."""
    output: dict[str, Any] = {"format": "mp4", "width": 192, "height": 108, "fps": 25,
                              "duration": 1.6, "quality": {"preset": "ultrafast"}}
    if poster:
        output["poster"] = {"time": 0.5}
    return {
        "output": output,
        "elements": [
            {"id": "clip", "type": "video", "source": CLIP_URL, "fit": "cover"},
            {"id": "logo", "type": "image", "source": LOGO_URL, "width": "20%", "x": "right",
             "y": "top", "track": 1},
            {"id": "caption", "type": "text", "text": "vidgen", "font_size": 14, "y": "90%",
             "track": 2},
        ],
    }


def slow_spec(seconds: float = 20.0) -> dict[str, Any]:
    """`seconds` of 640x360 at preset veryslow: about as many seconds of FFmpeg work."""
    return {
        "output": {"format": "mp4", "width": 640, "height": 360, "fps": 25,
                   "duration": seconds, "quality": {"preset": "veryslow"}},
        "elements": [{"id": "clip", "type": "video", "source": CLIP_URL, "fit": "fill",
                      "past_end": "loop"}],
    }


def make_media(folder: Path) -> Media:
    clip, logo, notes = folder / "clip.mp4", folder / "logo.png", folder / "notes.txt"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=2",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(clip))
    _ffmpeg("-f", "lavfi", "-i", "color=c=yellow:s=32x32", "-frames:v", "1", str(logo))
    notes.write_text("these are notes, not a picture\n")
    return Media(clip, logo, notes)
