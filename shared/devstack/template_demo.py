"""The template part of `vidgen demo`: store examples/templates/greeting.json through the
API (its local media uploaded), render one video per row of greeting.csv with
`submit_rows` (as `vidgen submit --template --csv` does), and check each video with PyAV.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from shared.client.api import ApiError, InvalidJob, VidgenClient
from shared.client.batch import submit_rows
from shared.client.templates import read_template, upload_template_sources
from shared.composition import SpecError
from shared.media.probe import ProbeError, probe

__all__ = ["TEMPLATE", "render_template_example"]

TEMPLATE = Path(__file__).resolve().parents[2] / "examples" / "templates" / "greeting.json"

#: (what was rendered, the file, why it is not right or None)
Result = tuple[str, Path, str | None]


def _check(path: Path, width: int, height: int) -> str | None:
    try:
        info = probe(path)
    except (OSError, ProbeError) as exc:
        return str(exc)
    if not info.has_video or (info.width, info.height) != (width, height):
        return f"not a {width}x{height} video"
    return None


def render_template_example(client: VidgenClient, out_dir: Path, timeout: float,
                            console: Console, template: Path = TEMPLATE) -> list[Result]:
    """Store the template, render its CSV's rows into `out_dir/<stem>/<row>.mp4`."""
    rows = template.with_suffix(".csv")
    label = f"{template.name} + {rows.name}"
    console.print(f"\n{label}", markup=False, highlight=False)
    try:
        document = upload_template_sources(read_template(template), template.parent, client)
        stored = client.call("POST", "/v1/templates", 201, json=document)
    except (SpecError, InvalidJob) as exc:
        return [(label, template, "; ".join(str(p) for p in exc.problems))]
    except ApiError as exc:
        return [(label, template, str(exc))]
    output = document["composition"].get("output", {})
    size = (int(output.get("width", 1280)), int(output.get("height", 720)))
    pattern = str(out_dir / template.stem / "{row}.mp4")
    _, outcomes = submit_rows(client, f"{stored['id']}@{stored['version']}", rows, wait=True,
                              output=pattern, timeout=timeout, console=console)
    results = []
    for outcome in outcomes:
        path = outcome.output or Path(pattern.format(row=outcome.row))
        problem = (_check(path, *size) if outcome.status == "completed"
                   else f"row {outcome.row}: {outcome.status}")
        results.append((f"{rows.name} row {outcome.row}", path, problem))
    return results
