"""Edge values over real HTTP: no body gets a 5xx, and what intake accepts renders.

NaN, Infinity, numbers past a double, deep nesting and text Postgres cannot store are
answered 422 at their field, on a connection that stays usable; sizes and positions with
many digits (1e-9, 1e-7) are accepted and the job completes, every later step reading the
spec the way intake wrote it.
"""

from __future__ import annotations

import json

import httpx

from tests.e2e.platform import Platform, tiny_spec

_JOB = '{"response": "async", "elements": [{"type": "text", "text": "x"}], "metadata": %s}'


def _nested(levels: int) -> str:
    return '{"a": ' * levels + "1" + "}" * levels


async def test_no_body_gets_a_5xx(platform: Platform) -> None:
    metadata = {
        "nan": '{"v": NaN}', "infinity": '{"v": Infinity}', "minus-infinity": '{"v": -Infinity}',
        "past-a-double": '{"v": 1e400}', "nul-key": '{"k\\u0000": 1}',
        "nul-text": '{"v": "a\\u0000b"}', "lone-surrogate": '{"v": "\\ud800"}',
        **{f"depth-{levels}": _nested(levels) for levels in (40, 197, 250, 251, 600, 980)},
    }
    answers = {}
    async with httpx.AsyncClient(timeout=30) as http:
        for name, value in metadata.items():
            answer = await http.post(f"{platform.api}/v1/jobs", content=_JOB % value,
                                     headers={"content-type": "application/json"})
            [problem] = answer.json()["errors"]
            answers[name] = (answer.status_code, problem["path"], problem["message"])
        still_there = await http.get(f"{platform.api}/healthz")
    assert {name: status for name, (status, _, _) in answers.items()} == dict.fromkeys(
        metadata, 422), platform.log_tail()
    for name, (_, path, message) in answers.items():
        if name.startswith("depth-"):  # past the decoder's own depth: the document as a whole
            assert path.startswith("metadata.a.a") or path == "$", (name, path)
            assert "nested too deep: at most 32 levels" in message, (name, message)
        else:
            assert path.startswith("metadata"), (name, path)
    assert still_there.status_code == 200


async def test_long_numbers_in_sizes_and_positions_render(platform: Platform,
                                                          photo_source: str) -> None:
    spec = tiny_spec(photo_source, response="async")
    spec["elements"].append({"type": "text", "text": "edge", "x": 1e-9, "y": "0.0000001%",
                             "font_size": 12.0000001, "padding": 1e-9})
    async with httpx.AsyncClient(timeout=30) as http:
        created = await http.post(f"{platform.api}/v1/jobs", content=json.dumps(spec),
                                  headers={"content-type": "application/json"})
        assert created.status_code == 202, created.text
        status = await platform.finished_job(http, created.json()["job_id"])
    assert status["status"] == "completed", (status, platform.log_tail())
