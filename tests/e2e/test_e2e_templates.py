"""Templates through the whole platform: `vidgen templates create` stores the example
template (its local media uploaded), a job with only its defaults renders, and `vidgen
submit --template --csv` renders one video per row while a bad row is reported by its
number; each job records the template version it was made from."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pytest

from shared.cli import main
from shared.client.api import VidgenClient
from tests.e2e.platform import JOB_TIMEOUT, Platform, probe_video

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "templates" / "greeting.json"


def _create(platform: Platform, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["templates", "create", str(EXAMPLE), "--api", platform.api,
                 "--storage", platform.storage])
    out = capsys.readouterr().out.strip()
    assert code == 0, out
    template, _, version = out.partition("@")
    assert version == "1"
    return template


async def test_a_template_renders_with_its_defaults_and_per_csv_row(
        platform: Platform, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = _create(platform, capsys)
    with VidgenClient(platform.api, platform.storage) as client:
        created = client.create_job({"template": template, "response": "async"})
        status = client.wait(str(created["job_id"]), timeout=JOB_TIMEOUT, interval=0.3)
        assert status["status"] == "completed", (status, platform.log_tail())
        assert status["template"] == {"id": template, "version": 1}
        client.download(status["result_url"], tmp_path / "defaults.mp4")
    facts = probe_video(tmp_path / "defaults.mp4")
    assert (facts.width, facts.height, facts.streams) == (640, 360, ("audio", "video"))
    assert abs(facts.duration - 3) < 0.2

    rows = tmp_path / "rows.csv"
    media = EXAMPLE.parent.parent / "media"
    rows.write_text("name,message,photo.opacity,photo.source\n"
                    f"Ana,Welcome,,{media / 'photo2.jpg'}\n"
                    "Bruno,,2,\n"  # opacity 2: invalid
                    "Chloé,See you,0.5,\n", encoding="utf-8")
    code = main(["submit", "--template", f"{template}@1", "--csv", str(rows), "--api",
                 platform.api, "--storage", platform.storage, "--quiet",
                 "-o", str(tmp_path / "out" / "{row}-{name}.mp4")])
    err = capsys.readouterr().err
    assert code == 2, err  # one invalid row; the others completed
    assert ('row 2: modifications["photo.opacity"]: opacity must be greater than or equal to 0 '
            'and less than or equal to 1') in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1-Ana.mp4", "3-Chloé.mp4"]
    for video in (tmp_path / "out").iterdir():
        assert probe_video(video).width == 640
    rows_made = await platform.query(
        "SELECT template_version, spec->'elements'->1->>'text' AS title FROM jobs "
        "WHERE template_id = $1 ORDER BY created_at, (metadata->>'row')::int",
        UUID(template))  # the rows' jobs are written in one transaction: one created_at
    assert [(r["template_version"], r["title"]) for r in rows_made] == [
        (1, "Hello, Ana!"), (1, "Hello, Ana!"), (1, "Hello, Chloé!")]
