"""Which object a delivery file's URL serves, and which URL each listed file gets."""

from __future__ import annotations

from uuid import UUID

import pytest

from services.storage.handlers import with_urls
from services.storage.results import _FILE_PATH, _key
from shared.events import OutputFile
from shared.signed_results import ResultSigner

JOB = UUID("9987bebb-8f3a-4293-8e07-bbff03af0330")
MAIN = f"videos/2026-12-02/{JOB}/promo.mp4"


def file(path: str, kind: str) -> OutputFile:
    return OutputFile(path=path, kind=kind, key=f"staging/{path}", size=1,
                      content_type="video/mp4")


@pytest.mark.parametrize(("path", "served"), [
    ("hls/stream/segment-00001.m4s", True), ("small.webm", True),
    ("stills/still-0.png", True), ("../other/promo.mp4", False), ("a//b", False),
    (".hidden", False), ("a/b/c/d/e", False), ("hls/../../x", False),
])
def test_only_paths_of_the_layout_are_served(path: str, served: bool) -> None:
    assert (bool(_FILE_PATH.match(path)) and ".." not in path.split("/")) == served


def test_a_file_is_under_the_job_folder_of_the_main_output() -> None:
    assert _key(JOB, MAIN, poster=False, path="hls/master.m3u8") == (
        f"videos/2026-12-02/{JOB}/hls/master.m3u8")
    hls_main = f"videos/2026-12-02/{JOB}/hls/master.m3u8"
    assert _key(JOB, hls_main, poster=False, path="small.webm") == (
        f"videos/2026-12-02/{JOB}/small.webm")
    assert _key(JOB, MAIN, poster=True, path=None) == f"videos/2026-12-02/{JOB}/promo.jpg"
    assert _key(JOB, "elsewhere/promo.mp4", poster=False, path="x.mp4") == ""


def test_the_main_output_keeps_its_url_and_the_others_get_file_urls() -> None:
    files = [file("hd.mp4", "rendition"), file("small.webm", "rendition"),
             file("poster.jpg", "poster")]
    urls = [f.url for f in with_urls(files, "http://s", JOB, "MAIN", "POSTER", None)]
    assert urls == ["MAIN", f"http://s/v1/results/{JOB}/files/small.webm", "POSTER"]


def test_an_hls_main_output_is_served_under_files_and_urls_are_signed() -> None:
    signer = ResultSigner("secret", 60)
    files = with_urls([file("hls/master.m3u8", "hls")], "http://s", JOB, "MAIN", None, signer)
    url = files[0].url or ""
    assert url.startswith(f"http://s/v1/results/{JOB}/files/hls/master.m3u8?expires=")
    assert "signature=" in url
