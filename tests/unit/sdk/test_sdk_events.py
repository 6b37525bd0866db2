"""The SDK's generated event models read what the platform writes, and what a publisher
builds with them is what ingest reads."""

from __future__ import annotations

from uuid import uuid4

from vidgen_sdk import events as sdk

from shared.events import JobCompleted, JobFailed, JobRequest, StepChanged


def test_the_platforms_events_are_read_by_the_sdks_union():
    job_id = uuid4()
    written = [
        JobCompleted(job_id=job_id, result_url="https://r/1", bucket="b", key="k",
                     file_size=10, duration=1.5),
        StepChanged(job_id=job_id, step="encoding", state="progress", progress=40),
        JobFailed(job_id=job_id, step="encoding", error_code="ffmpeg", error_message="boom",
                  status="timeout"),
    ]
    read = [sdk.VidgenEvent.model_validate_json(event.model_dump_json()).root
            for event in written]
    assert [type(event).__name__ for event in read] == ["JobCompleted", "StepChanged",
                                                          "JobFailed"]
    assert isinstance(read[0], sdk.JobCompleted) and read[0].result_url == "https://r/1"
    assert isinstance(read[1], sdk.StepChanged)
    assert read[1].progress is not None and read[1].progress.root == 40  # a bounded int
    assert isinstance(read[2], sdk.JobFailed) and read[2].status == "timeout"
    assert all(event.job_id == job_id for event in read)


def test_a_request_built_with_the_sdk_is_what_ingest_reads():
    request = sdk.JobRequest(request_id=uuid4(), client="upstream",
                             job={"output": {"fps": 24}, "elements": []})
    read = JobRequest.model_validate_json(request.model_dump_json(exclude_none=True))
    assert (read.request_id, read.client, read.job) == (request.request_id, "upstream",
                                                        request.job)
