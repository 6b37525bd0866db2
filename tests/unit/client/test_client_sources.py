"""Finding the local files a spec names, and pointing the spec at their uploads."""

from __future__ import annotations

import pytest

from shared.client.sources import find_local_sources, is_local, upload_local_sources
from shared.composition import SpecError


@pytest.mark.parametrize(
    ("source", "local"),
    [
        ("media/clip.mp4", True),
        ("/abs/clip.mp4", True),
        ("file:///abs/clip.mp4", True),
        ("https://example.com/clip.mp4", False),
        ("http://example.com/a.png", False),
        ("asset:" + "a" * 64, False),
        ("s3://bucket/key", False),
    ],
)
def test_is_local(source, local):
    assert is_local(source) is local


def _spec(*sources: str) -> dict:
    elements = [{"type": "image", "source": source} for source in sources]
    elements.append({"type": "text", "text": "no source"})
    return {"output": {"width": 320, "height": 180}, "elements": elements}


def test_relative_absolute_and_file_urls_resolve(tmp_path):
    (tmp_path / "media").mkdir()
    a = tmp_path / "media" / "a.png"
    b = tmp_path / "b.png"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    spec = _spec("media/a.png", str(b), f"file://{a}", "https://example.com/c.png")
    found = find_local_sources(spec, tmp_path)
    assert [(item.index, item.path) for item in found] == [(0, a), (1, b), (2, a)]
    assert found[0].json_path == "elements[0].source"


def test_every_missing_file_is_named_by_its_json_path(tmp_path):
    (tmp_path / "here.png").write_bytes(b"x")
    spec = _spec("gone.png", "here.png", "also/gone.mp4")
    with pytest.raises(SpecError) as caught:
        find_local_sources(spec, tmp_path)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("elements[0].source", "file not found: gone.png"),
        ("elements[2].source", "file not found: also/gone.mp4"),
    ]


def test_upload_rewrites_sources_and_uploads_each_file_once(tmp_path):
    (tmp_path / "a.png").write_bytes(b"a")
    (tmp_path / "b.png").write_bytes(b"b")
    spec = _spec("a.png", "b.png", "./a.png", "https://example.com/c.png")
    uploads = []

    def upload(path):
        uploads.append(path.name)
        return f"asset:{path.stem * 64}"

    rewritten = upload_local_sources(spec, tmp_path, upload)
    assert uploads == ["a.png", "b.png"]
    assert [e.get("source") for e in rewritten["elements"]] == [
        "asset:" + "a" * 64, "asset:" + "b" * 64, "asset:" + "a" * 64,
        "https://example.com/c.png", None,
    ]
    assert spec["elements"][0]["source"] == "a.png"  # the original is left alone


def test_a_local_lut_is_found_and_uploaded_like_a_source(tmp_path):
    (tmp_path / "a.png").write_bytes(b"a")
    (tmp_path / "warm.cube").write_text("LUT_3D_SIZE 2\n")
    spec = {"elements": [{"type": "image", "source": "a.png", "lut": "warm.cube"},
                         {"type": "image", "source": "a.png", "lut": "gone.cube"}]}
    with pytest.raises(SpecError) as caught:
        find_local_sources(spec, tmp_path)
    assert [p.path for p in caught.value.problems] == ["elements[1].lut"]
    del spec["elements"][1]
    found = find_local_sources(spec, tmp_path)
    assert [item.json_path for item in found] == ["elements[0].source", "elements[0].lut"]
    rewritten = upload_local_sources(spec, tmp_path, lambda path: f"asset:{path.name}")
    assert rewritten["elements"][0] == {"type": "image", "source": "asset:a.png",
                                        "lut": "asset:warm.cube"}
