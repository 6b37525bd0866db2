"""`vidgen submit --template ID --csv rows.csv [--wait] [-o 'out/{row}.mp4']`: one job per
row of a CSV file, made from a stored template.

Columns: the header names them. A column named like `element-id.property` (it has a dot,
which a merge field name never has) is a modification (`title.text`, `photo.source`);
any other is a merge field. An empty cell is left out, so the template's default or its
own value stays. A modification of a `source` whose cell is a local file (relative to the
CSV's folder) is uploaded first. Rows are numbered from 1 (the header is not a row); the
output pattern takes `{row}` and any merge column (`{name}`).

The rows go to the API VIDGEN_MAX_BATCH (1,000) a request (POST /v1/jobs/batch), one
request per row against an API without batches. Every row is submitted even when one is
invalid: a bad row is reported as `row N: path: message` (its own path, as for a job sent
alone) and the others go on. With --wait (or -o), the jobs are followed together with a
progress bar over the rows. Exit codes: 0 every row completed (or was
submitted, without --wait); 2 some rows were invalid and the rest completed; 1 a job
failed, was cancelled or timed out, or the platform could not be reached.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from shared.client.api import (
    TERMINAL,
    ApiError,
    InvalidJob,
    Unreachable,
    VidgenClient,
    problems_from_body,
)
from shared.client.sources import is_local
from shared.composition import Problem
from shared.composition.templates import split_row

__all__ = ["BatchSettings", "RowOutcome", "read_rows", "row_request", "submit_rows"]


@dataclass
class RowOutcome:
    """What became of one row."""

    row: int
    job_id: str | None = None
    status: str = "invalid"
    problems: list[Problem] = field(default_factory=list)
    output: Path | None = None


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header (UTF-8, a BOM allowed)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def row_request(template: str, row: dict[str, Any], number: int, *,
                upload: Callable[[str], str] | None = None) -> dict[str, Any]:
    """The job request of one row: merge columns, modification columns (`id.prop`)."""
    merge, modifications = split_row(row)
    if upload is not None:
        modifications = {name: upload(value) if name.endswith((".source", ".lut"))
                         and isinstance(value, str) else value
                         for name, value in modifications.items()}
    return {"template": template, "merge": merge, "modifications": modifications,
            "response": "async", "metadata": {"row": number}}


def _uploader(client: VidgenClient, base: Path) -> Callable[[str], str]:
    """Local files named in source columns go to the storage service, each once."""
    done: dict[Path, str] = {}

    def upload(value: str) -> str:
        if not is_local(value):
            return value
        path = (base / value.removeprefix("file://")).expanduser().resolve()
        if not path.is_file():
            return value  # the platform names the source it cannot fetch
        if path not in done:
            done[path] = client.upload_asset(path)
        return done[path]

    return upload


def _output(pattern: str | None, row: dict[str, Any], number: int) -> Path | None:
    if pattern is None:
        return None
    fields = {name: value for name, value in row.items() if name and "." not in name}
    return Path(pattern.format_map({**fields, "row": number}))


def submit_rows(client: VidgenClient, template: str, csv_path: Path, *, wait: bool,
                output: str | None = None, timeout: float = 900.0,
                console: Console | None = None, quiet: bool = False,
                interval: float = 0.5, max_batch: int | None = None,
                ) -> tuple[int, list[RowOutcome]]:
    """Submit a job per row, `max_batch` rows a request (POST /v1/jobs/batch; default
    VIDGEN_MAX_BATCH); with `wait`, follow them all (and save to `output`)."""
    console = console or Console(stderr=True)
    rows = read_rows(csv_path)
    upload = _uploader(client, csv_path.parent)
    outcomes: list[RowOutcome] = []
    pending: list[tuple[RowOutcome, dict[str, Any]]] = []
    try:
        for number, row in enumerate(rows, start=1):
            outcome = RowOutcome(number)
            outcomes.append(outcome)
            try:
                outcome.output = _output(output, row, number)
                pending.append((outcome, row_request(template, row, number, upload=upload)))
            except (KeyError, ValueError) as exc:
                outcome.problems = [Problem("-o", f"the output pattern names no column {exc}")]
            except ApiError as exc:  # an upload
                _refused(outcome, exc)
        most = max_batch or BatchSettings().max_batch
        for start in range(0, len(pending), most):
            _submit_chunk(client, pending[start:start + most])
    except Unreachable as exc:  # no point in the other rows
        _say(console, f"submit failed: {exc}")
        return 1, outcomes
    for outcome in outcomes:
        for problem in outcome.problems:
            _say(console, f"row {outcome.row}: {problem.path}: {problem.message}")
        if outcome.job_id:
            _say(console, f"row {outcome.row}: job {outcome.job_id} {outcome.status}")
    if wait:
        _follow(client, outcomes, timeout, console, quiet, interval)
    return _code(outcomes, wait), outcomes


class BatchSettings(BaseSettings):
    """How many rows go in one request: the API's VIDGEN_MAX_BATCH (1,000 by default)."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore")

    max_batch: int = Field(1000, ge=1, description="jobs of one POST /v1/jobs/batch")


def _submit_chunk(client: VidgenClient, chunk: list[tuple[RowOutcome, dict[str, Any]]]) -> None:
    """One batch request for the rows of `chunk`; one request per row when the API has no
    batches (404, 405) or the batch is too large for it (413). Raises Unreachable."""
    try:
        results = client.create_jobs([request for _, request in chunk])
    except Unreachable:
        raise
    except ApiError as exc:
        if exc.status_code in (404, 405, 413):
            for outcome, request in chunk:
                _submit_one(client, outcome, request)
        else:
            for outcome, _ in chunk:
                _refused(outcome, exc)
        return
    for index, ((outcome, _), result) in enumerate(zip(chunk, results, strict=True)):
        if result.get("status") in ("created", "duplicate"):
            outcome.job_id = str(result["job_id"])
            outcome.status = str(result.get("job_status") or "pending")
            continue
        outcome.problems = [_in_row(index, problem)
                            for problem in problems_from_body({"errors": result.get("errors")})]
        outcome.status = "invalid" if result.get("code") == 422 else "refused"


def _submit_one(client: VidgenClient, outcome: RowOutcome, request: dict[str, Any]) -> None:
    try:
        answer = client.create_job(request)
    except InvalidJob as exc:
        outcome.problems = exc.problems
    except Unreachable:
        raise
    except ApiError as exc:
        _refused(outcome, exc)
    else:
        outcome.job_id, outcome.status = str(answer["job_id"]), str(answer["status"])


def _refused(outcome: RowOutcome, exc: ApiError) -> None:
    if exc.status_code == 0:
        raise exc
    outcome.status, outcome.problems = "refused", [Problem("$", str(exc))]


def _in_row(index: int, problem: Problem) -> Problem:
    """A batch's `jobs[3].merge.name` as the row's own `merge.name` (`jobs[3]`: `$`)."""
    root = f"jobs[{index}]"
    path = problem.path
    if path.startswith(root):
        path = path[len(root):].removeprefix(".") or "$"
    return Problem(path, problem.message)


def _follow(client: VidgenClient, outcomes: list[RowOutcome], timeout: float,
            console: Console, quiet: bool, interval: float) -> None:
    pending = [o for o in outcomes if o.job_id and o.status not in TERMINAL]
    deadline = time.monotonic() + timeout
    columns = (TextColumn("rows"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console,
                  disable=quiet or not console.is_terminal) as bar:
        task = bar.add_task("rows", total=len(outcomes),
                            completed=len(outcomes) - len(pending))
        while pending and time.monotonic() < deadline:
            for outcome in list(pending):
                assert outcome.job_id is not None
                try:
                    status = client.get_job(outcome.job_id)
                except ApiError as exc:
                    _say(console, f"row {outcome.row}: lost the job: {exc}")
                    outcome.status = "lost"
                    status = {"status": "lost"}
                if str(status.get("status")) in (*TERMINAL, "lost"):
                    pending.remove(outcome)
                    _finish(client, outcome, status, console)
                    bar.advance(task)
            if pending:
                time.sleep(interval)
    for outcome in pending:
        outcome.status = "waiting"
        _say(console, f"row {outcome.row}: gave up waiting for job {outcome.job_id}")


def _finish(client: VidgenClient, outcome: RowOutcome, status: dict[str, Any],
            console: Console) -> None:
    outcome.status = str(status.get("status"))
    if outcome.status != "completed":
        _say(console, f"row {outcome.row}: job {outcome.job_id} {outcome.status}: "
                      f"{status.get('error_code') or '-'}: {status.get('error_message') or ''}")
        return
    url = str(status.get("result_url") or "")
    url = f"{client.storage_url}{url}" if url.startswith("/") else url
    if outcome.output is None:
        _say(console, f"row {outcome.row}: completed {url}")
        return
    try:
        size = client.download(url, outcome.output)
    except (ApiError, OSError) as exc:
        outcome.status = "download failed"
        _say(console, f"row {outcome.row}: download failed: {exc}")
        return
    _say(console, f"row {outcome.row}: saved {outcome.output} ({size / 1e6:.2f} MB)")


def _code(outcomes: list[RowOutcome], waited: bool) -> int:
    invalid = any(o.status == "invalid" for o in outcomes)
    good = {"completed"} if waited else {"completed", "pending", "processing"}
    failed = any(o.status not in good | {"invalid"} for o in outcomes)
    return 1 if failed else 2 if invalid else 0


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)
