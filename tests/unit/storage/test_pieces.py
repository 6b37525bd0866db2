"""Small pure parts of the storage service: ranges, key naming, sniffing, geo, event ids."""

from __future__ import annotations

import hashlib
import importlib.util
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from services.storage.download import collect_sources
from services.storage.geo import load_geo
from services.storage.outputs import final_key, finished_day, slug
from services.storage.results import UNSATISFIABLE, ByteRange, parse_range
from services.storage.sink import FileSink, TooLarge
from services.storage.sniff import font_kind, media_kind, subtitle_kind
from shared.consumer import PermanentError, event_id
from shared.media.cube import looks_like_cube
from tests.unit.storage.mmdb import write_mmdb


@pytest.mark.parametrize(("header", "expected"), [
    (None, None), ("", None), ("bytes=0-0", ByteRange(0, 0)), ("bytes=0-99", ByteRange(0, 99)),
    ("bytes=10-", ByteRange(10, 99)), ("bytes=90-200", ByteRange(90, 99)),
    ("bytes=-10", ByteRange(90, 99)), ("bytes=-500", ByteRange(0, 99)),
    ("Bytes = 5 - 6", ByteRange(5, 6)), ("bytes=100-", UNSATISFIABLE),
    ("bytes=-0", UNSATISFIABLE), ("bytes=5-4", None), ("bytes=0-1,5-6", None),
    ("items=0-1", None), ("bytes=-", None), ("bytes=abc", None),
])
def test_parse_range(header: str | None, expected: ByteRange | None) -> None:
    assert parse_range(header, 100) == expected


def test_parse_range_of_an_empty_object() -> None:
    assert parse_range("bytes=0-", 0) is UNSATISFIABLE
    assert parse_range("bytes=-1", 0) is UNSATISFIABLE


@pytest.mark.parametrize(("name", "expected"), [
    (None, "video"), ("", "video"), ("Summer Promo!", "summer-promo"),
    ("../../etc/passwd", "etc-passwd"), ("Ünïcode ☃ name", "n-code-name"), ("---", "video"),
    ("x" * 200, "x" * 80),
])
def test_slug(name: str | None, expected: str) -> None:
    assert slug(name) == expected


def test_final_key_uses_the_utc_day_of_the_event() -> None:
    job = UUID("12345678-1234-5678-1234-567812345678")
    late = datetime(2025, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert finished_day(late) == date(2025, 3, 2)
    assert finished_day(datetime(2025, 3, 1, 0, 1, tzinfo=UTC)) == date(2025, 3, 1)
    assert final_key(job, "video", "mp4", date(2025, 3, 2)) == \
        "videos/2025-03-02/12345678-1234-5678-1234-567812345678/video.mp4"


def test_event_ids_are_deterministic() -> None:
    job = uuid4()
    assert event_id(job, "job.completed", 1) == event_id(job, "job.completed", 1)
    assert event_id(job, "job.completed", 1) != event_id(job, "job.completed", 2)
    assert event_id(job, "job.completed", 1) != event_id(uuid4(), "job.completed", 1)


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x00\x00\x00\x20ftypisom", "mp4"), (b"\x00\x00\x00\x08moov", "mp4"),
    (b"\x1a\x45\xdf\xa3\x01\x00webm", "webm"), (b"\x1a\x45\xdf\xa3matroska", "matroska"),
    (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"), (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"), (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff\xe0", "jpeg"), (b"GIF89a", "gif"), (b"ID3\x04", "mp3"),
    (b"\xff\xfb\x90", "mp3"), (b"\xff\xf1\x50", "aac"), (b"OggS\x00", "ogg"),
    (b"fLaC", "flac"), (b"FORM\x00\x00\x00\x00AIFF", "aiff"),
    (b"\x47" + b"\x00" * 187 + b"\x47", "mpegts"),
])
def test_media_is_recognised(head: bytes, kind: str) -> None:
    assert media_kind(head) == kind


@pytest.mark.parametrize("head", [
    b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd", b"ffconcat version 1.0\nfile /etc/passwd",
    b"v=0\no=- 0 0 IN IP4 127.0.0.1\n", b"<?xml version='1.0'?><MPD>", b"<!doctype html>",
    b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"{\"json\": true}", b"", b"\x00" * 64,
    b"RIFF\x00\x00\x00\x00XXXX", b"BM\x01\x02", b"\x00\x01\x00\x00font",
])
def test_text_and_unknown_content_is_not_media(head: bytes) -> None:
    assert media_kind(head) is None


def test_cube_luts_are_told_from_other_text() -> None:
    assert looks_like_cube(b"# made by hand\n\nTITLE \"warm\"\nLUT_3D_SIZE 33\n0 0 0\n")
    assert looks_like_cube(b"\xef\xbb\xbfLUT_3D_SIZE 2\n")
    for head in (b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd", b"ffconcat version 1.0\n",
                 b"0 0 0\n1 1 1\n", b"# only a comment\n", b"LUT_3D_SIZE\x00 2", b""):
        assert not looks_like_cube(head), head
    assert media_kind(b"LUT_3D_SIZE 2\n") is None  # never admitted where media is expected


def test_fonts_are_recognised() -> None:
    fonts = Path(__file__).resolve().parents[3] / "shared" / "fonts"
    assert font_kind((fonts / "DejaVuSans.ttf").read_bytes()[:64]) == "truetype"
    assert font_kind(b"OTTO\x00") == "opentype"
    assert font_kind(b"\x89PNG\r\n\x1a\n") is None


@pytest.mark.parametrize(("head", "kind"), [
    (b"WEBVTT\n\n00:01.000 --> 00:02.000\nhi", "webvtt"), (b"\xef\xbb\xbfWEBVTT - t\n", "webvtt"),
    (b"1\r\n00:00:01,000 --> 00:00:02,000\r\nhi", "srt"), (b"\n\n12\n00:00:01,000 -->", "srt"),
    (b"WEBVTTX\n", None), (b"#EXTM3U\n1\n-->", None), (b"1\nhello\n", None), (b"", None),
])
def test_subtitle_files_are_recognised(head: bytes, kind: str | None) -> None:
    assert subtitle_kind(head) == kind


def test_collect_sources_of_captions_expect_subtitles_and_fonts() -> None:
    refs = collect_sources({"elements": [
        {"type": "captions", "source": "https://a.example/s.vtt", "font": "https://a.example/f.otf"},
        {"type": "captions", "cues": [{"start": 0, "end": 1, "text": "inline"}]},
    ]})
    assert [(r.source, r.path, r.expect) for r in refs] == [
        ("https://a.example/s.vtt", "elements[0].source", "subtitles"),
        ("https://a.example/f.otf", "elements[0].font", "font"),
    ]


def test_collect_sources_dedupes_and_names_paths() -> None:
    spec = {"elements": [
        {"type": "video", "source": "https://a.example/v.mp4"},
        {"type": "text", "text": "t", "font": "https://a.example/f.TTF"},
        {"type": "text", "text": "t", "font": "DejaVu Sans"},
        {"type": "overlay", "source": "https://a.example/v.mp4"},
        {"type": "audio", "source": "asset:" + "a" * 64},
        {"type": "shape", "shape": "ellipse", "width": 10},  # drawn: nothing to download
        {"type": "image", "source": "https://a.example/i.png", "lut": "https://a.example/g.cube"},
        {"type": "video", "source": "https://a.example/v.mp4", "lut": "https://a.example/g.cube"},
    ]}
    refs = collect_sources(spec)
    assert [(r.source, r.path, r.expect) for r in refs] == [
        ("https://a.example/v.mp4", "elements[0].source", "media"),
        ("https://a.example/f.TTF", "elements[1].font", "font"),
        ("asset:" + "a" * 64, "elements[4].source", "media"),
        ("https://a.example/i.png", "elements[6].source", "media"),
        ("https://a.example/g.cube", "elements[6].lut", "lut"),
    ]
    with pytest.raises(PermanentError) as caught:
        collect_sources({"elements": [{"type": "image"}]})
    assert caught.value.code == "invalid_spec"


async def test_sink_hashes_and_caps(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # crosses the flush size
    async with FileSink(tmp_path, len(data)) as sink:
        for start in range(0, len(data), 7000):
            await sink.write(data[start:start + 7000])
        digest = await sink.finish()
    assert digest == hashlib.sha256(data).hexdigest()
    assert sink.path.read_bytes() == data
    with pytest.raises(TooLarge):
        async with FileSink(tmp_path, 10) as small:
            await small.write(b"x" * 11)
    assert not small.path.exists()


def test_geo_from_a_maxmind_database(tmp_path: Path) -> None:
    pytest.importorskip("maxminddb", reason="maxminddb is what reads VIDGEN_GEOIP_DB")
    database = tmp_path / "test.mmdb"
    write_mmdb(database, {
        "81.2.69.0/24": {"country": {"iso_code": "GB"},
                         "subdivisions": [{"names": {"en": "England"}}],
                         "city": {"names": {"en": "London"}}},
        "89.160.20.128/25": {"country": {"iso_code": "SE"}},
    })
    geo = load_geo(str(database))
    assert geo.source.startswith("mmdb:")
    found = geo.lookup("81.2.69.160")
    assert (found.country_code, found.region, found.city) == ("GB", "England", "London")
    assert geo.lookup("89.160.20.130").country_code == "SE"
    assert geo.lookup("89.160.20.1").country_code is None
    assert geo.lookup("127.0.0.1").country_code is None  # never looked up
    assert geo.lookup("not an ip").country_code is None


def test_geo_fallback() -> None:
    geo = load_geo("/nonexistent/geo.mmdb")
    if importlib.util.find_spec("iptocc") is None:
        assert geo.source == "none"
        assert geo.lookup("8.8.8.8").country_code is None
    else:
        assert geo.source == "iptocc"
        assert geo.lookup("8.8.8.8").country_code == "US"
        assert geo.lookup("8.8.8.8").city is None
    assert geo.lookup("10.1.2.3").country_code is None
    assert geo.lookup("::1").country_code is None
