"""What a downloaded file is, from its first bytes, before FFmpeg is allowed to open it.

FFmpeg picks a demuxer by content, and some demuxers open other files or URLs themselves:
an HLS playlist (``#EXTM3U``), an ffconcat list, an SDP description, a DASH manifest. A
source that is one of those would make the probe here, and later the render, read local
files or reach the network. So only files that start like a known self-contained media
container (or a font) are admitted. Two kinds of text are admitted, each only where it
belongs: a subtitle file (SubRip, WebVTT) for a captions element, which FFmpeg never opens
(the render parses it itself, and storage parses it whole before it is cached), and a
`.cube` LUT as an element's `lut` (shared.media.cube reads all of it; FFmpeg's `lut3d`
filter, never a demuxer, opens it).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CONTENT_TYPES", "HEAD_BYTES", "font_kind", "media_kind", "read_head",
           "subtitle_kind"]

HEAD_BYTES = 512

CONTENT_TYPES: dict[str, str] = {
    "mp4": "video/mp4", "matroska": "video/x-matroska", "webm": "video/webm",
    "avi": "video/x-msvideo", "wav": "audio/wav", "webp": "image/webp", "mpegts": "video/mp2t",
    "mpegps": "video/mpeg", "flv": "video/x-flv", "ogg": "application/ogg", "mp3": "audio/mpeg",
    "aac": "audio/aac", "flac": "audio/flac", "png": "image/png", "jpeg": "image/jpeg",
    "gif": "image/gif", "bmp": "image/bmp", "tiff": "image/tiff", "aiff": "audio/aiff",
    "asf": "video/x-ms-asf", "amr": "audio/amr", "qoi": "image/qoi",
    "cube": "text/plain", "truetype": "font/ttf", "opentype": "font/otf",
    "collection": "font/collection", "srt": "application/x-subrip", "webvtt": "text/vtt",
}

_MP4_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"OggS", "ogg"),
    (b"fLaC", "flac"),
    (b"ID3", "mp3"),
    (b"FLV\x01", "flv"),
    (b"\x00\x00\x01\xba", "mpegps"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "asf"),
    (b"#!AMR", "amr"),
    (b"qoif", "qoi"),
)
_RIFF = {b"AVI ": "avi", b"WAVE": "wav", b"WEBP": "webp"}
_FONTS = {b"\x00\x01\x00\x00": "truetype", b"true": "truetype", b"OTTO": "opentype",
          b"ttcf": "collection"}


def read_head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(HEAD_BYTES)


def media_kind(head: bytes) -> str | None:
    """The container family `head` starts like, or None when it is not admitted."""
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            return kind
    if head[4:8] in _MP4_BOXES:
        return "mp4"
    if head.startswith(b"RIFF") and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head.startswith(b"FORM") and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm" if b"webm" in head[:64] else "matroska"
    if head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:
        return "mpegts"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0:
        return "aac"  # ADTS
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "mp3"  # an MPEG audio frame header
    return None


def font_kind(head: bytes) -> str | None:
    """TrueType, OpenType (CFF) or a font collection, from the sfnt version tag."""
    return _FONTS.get(head[:4])


def subtitle_kind(head: bytes) -> str | None:
    """'webvtt' (the WEBVTT signature) or 'srt' (a cue number, then a timing line)."""
    text = head.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if text.startswith(b"WEBVTT") and text[6:7] in (b"", b"\n", b" ", b"\t"):
        return "webvtt"
    lines = text.lstrip(b" \t\n").split(b"\n", 2)
    if len(lines) >= 2 and lines[0].strip().isdigit() and b"-->" in lines[1]:
        return "srt"
    return None
