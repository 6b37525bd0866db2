"""Checking a `.cube` 3D LUT (Adobe / Resolve format) before FFmpeg's `lut3d` reads it.

FFmpeg's own parser reports a bad file as a failed filter graph with no line; this one
names the line, so a malformed LUT is a spec problem at `elements[i].lut` before the render
starts. Only 3D LUTs are accepted (what `lut3d` applies).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_MAX_LUT_BYTES", "MAX_CUBE_SIZE", "MIN_CUBE_SIZE", "Cube", "CubeError",
    "check_cube", "looks_like_cube",
]

MIN_CUBE_SIZE = 2
MAX_CUBE_SIZE = 256  # FFmpeg's largest lut3d level
_KEYWORDS = {"TITLE", "DOMAIN_MIN", "DOMAIN_MAX", "LUT_3D_INPUT_RANGE"}
DEFAULT_MAX_LUT_BYTES = 32 * 1024**2  # a 65-point cube, the largest in common use, is ~8 MB


def looks_like_cube(head: bytes) -> bool:
    """Whether a file's first bytes read like a .cube LUT: text whose first line that is
    not a comment starts with one of its keywords. check_cube then reads all of it."""
    if b"\x00" in head:
        return False
    text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")  # a cut-off last
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            return line.split()[0] in _KEYWORDS | {"LUT_3D_SIZE", "LUT_1D_SIZE"}
    return False


class CubeError(ValueError):
    """A .cube file that is not one; the message names the line."""


@dataclass(frozen=True)
class Cube:
    size: int
    domain_min: tuple[float, ...]
    domain_max: tuple[float, ...]


def _numbers(parts: list[str], count: int, line: int, what: str) -> tuple[float, ...]:
    if len(parts) != count:
        raise CubeError(f"line {line}: {what} needs {count} numbers, got {len(parts)}")
    try:
        values = tuple(float(part) for part in parts)
    except ValueError:
        raise CubeError(f"line {line}: {what} must be numbers, got {' '.join(parts)!r}") from None
    if not all(math.isfinite(value) for value in values):
        raise CubeError(f"line {line}: {what} must be finite numbers")
    return values


class _Header:
    """The keyword lines read so far."""

    def __init__(self) -> None:
        self.size: int | None = None
        self.low: tuple[float, ...] = (0.0, 0.0, 0.0)
        self.high: tuple[float, ...] = (1.0, 1.0, 1.0)

    def read(self, keyword: str, rest: list[str], number: int) -> None:
        if keyword == "LUT_3D_SIZE":
            (value,) = _numbers(rest, 1, number, keyword)
            if value != int(value) or not MIN_CUBE_SIZE <= value <= MAX_CUBE_SIZE:
                raise CubeError(f"line {number}: LUT_3D_SIZE must be a whole number from "
                                f"{MIN_CUBE_SIZE} to {MAX_CUBE_SIZE}, got {rest[0]}")
            self.size = int(value)
        elif keyword == "LUT_1D_SIZE":
            raise CubeError(f"line {number}: a 1D LUT; only 3D LUTs (LUT_3D_SIZE) are supported")
        elif keyword == "DOMAIN_MIN":
            self.low = _numbers(rest, 3, number, keyword)
        elif keyword == "DOMAIN_MAX":
            self.high = _numbers(rest, 3, number, keyword)
        elif keyword == "LUT_3D_INPUT_RANGE":
            a, b = _numbers(rest, 2, number, keyword)
            self.low, self.high = (a, a, a), (b, b, b)
        elif keyword not in _KEYWORDS:
            raise CubeError(f"line {number}: unknown keyword {keyword!r}")


def _text(path: Path, max_bytes: int) -> str:
    length = path.stat().st_size
    if length > max_bytes:
        raise CubeError(f"the LUT file has {length} bytes, over the {max_bytes} byte limit")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CubeError("not a .cube LUT: the file is not UTF-8 text") from None


def check_cube(path: Path, max_bytes: int) -> Cube:
    """The LUT's size and domain; CubeError when it is not a well-formed 3D .cube file."""
    header = _Header()
    rows = 0
    for number, raw in enumerate(_text(path, max_bytes).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        keyword, *rest = line.split()
        if keyword[0].isalpha() or keyword[0] == "_":
            if rows:
                raise CubeError(f"line {number}: {keyword} after the table's first row")
            header.read(keyword, rest, number)
            continue
        if header.size is None:
            raise CubeError(f"line {number}: table row before LUT_3D_SIZE")
        _numbers(line.split(), 3, number, "a table row")
        rows += 1
        if rows > header.size**3:
            raise CubeError(f"line {number}: more than LUT_3D_SIZE³ = {header.size**3} rows")
    size = header.size
    if size is None:
        raise CubeError("not a .cube LUT: no LUT_3D_SIZE line")
    if rows != size**3:
        raise CubeError(f"the table has {rows} rows, LUT_3D_SIZE {size} needs {size**3}")
    if any(lo >= hi for lo, hi in zip(header.low, header.high, strict=True)):
        raise CubeError("DOMAIN_MIN must be below DOMAIN_MAX on every channel")
    return Cube(size, header.low, header.high)
