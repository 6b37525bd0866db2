"""S3 faults: a proxy in front of moto answers 503 or stalls for a share of the requests.
Jobs complete through the retries (botocore's backoff with jitter, the consumers' retries);
past the retry budget a job fails with a clear error code."""

from __future__ import annotations

import time

import httpx
import pytest

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.s3proxy import Faults, S3FaultProxy
from tests.e2e.faults.stack import fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(480)]

JOBS = 8


async def test_jobs_complete_through_s3_faults_and_fail_clearly_past_the_budget(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    proxy = S3FaultProxy(e2e_s3.endpoint, Faults(error_share=0.2, stall_share=0.05,
                                                 stall_seconds=2.5))
    await proxy.start()
    env = {**e2e_s3.env, "S3_ENDPOINT_URL": proxy.url}
    reliability = {"VIDGEN_S3_READ_TIMEOUT": "1", "VIDGEN_S3_CONNECT_TIMEOUT": "1",
                   "VIDGEN_S3_MAX_ATTEMPTS": "6", "VIDGEN_MAX_ATTEMPTS": "3"}
    try:
        async with fault_stack(tmp_path, database=fresh_database,
                               bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                               s3_env=env, extra_env=reliability,
                               direct_s3=e2e_s3.endpoint) as platform:
            started = time.monotonic()
            async with httpx.AsyncClient(timeout=30) as http:
                jobs = [await platform.submit(http, text_spec(f"s3 {n}")) for n in range(JOBS)]
                await platform.wait_finished(jobs, timeout=240)
                took = time.monotonic() - started
                await platform.assert_exactly_once(jobs)
                faults = dict(proxy.faults.counts)
                assert faults.get("error", 0) > 0 and faults.get("stall", 0) > 0, faults

                # every upload of a rendered file fails: past the budget, a clear error
                proxy.faults = Faults(error_share=1.0, match="/staging/")
                doomed = await platform.submit(http, text_spec("no way out"))
                await platform.wait_finished([doomed], timeout=180)
            [row] = await platform.query("SELECT status::text, error_code, error_message "
                                         "FROM jobs WHERE id = $1::uuid", doomed)
            assert (row["status"], row["error_code"]) == ("failed", "upload_failed"), dict(row)
            assert (await platform.final_objects())[doomed] == 0
            print(f"\n{JOBS} jobs completed through {faults} S3 requests "
                  f"(forwarded/503/stalled) in {took:.1f}s; past the budget: "
                  f"{row['error_code']} after {proxy.faults.counts['error']} refused uploads")
    finally:
        await proxy.stop()
