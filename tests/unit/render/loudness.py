"""Loudness read back from a rendered file with FFmpeg's own EBU R128 meter."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.unit.render.helpers import ENGINE

__all__ = ["loudness"]


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) as FFmpeg's ebur128 meter reports."""
    result = subprocess.run(
        [ENGINE.ffmpeg_exe(), "-nostats", "-hide_banner", "-i", str(path), "-map", "0:a",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    summary = result.stderr.rsplit("Summary:", 1)[1]
    integrated = re.search(r"I:\s+(-?[\d.]+) LUFS", summary)
    peak = re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    assert integrated and peak, summary
    return float(integrated.group(1)), float(peak.group(1))
