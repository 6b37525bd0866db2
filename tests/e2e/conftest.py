"""End-to-end: the four services as separate processes, started by the dev stack, over the
session's real Postgres and broker (tests/fixtures) and a moto S3 server.

One platform for the whole session (`platform`), on free loopback ports, with two render
workers; each test talks to it over HTTP or Kafka and checks Postgres directly. The
services' output goes to ``services.log`` in the session's temp directory; its tail is
printed when the stack does not start.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from uuid import uuid4

import pytest

from shared.client.api import VidgenClient
from shared.devstack import DevStack, ServicePorts
from shared.testing.brokers import RunningBroker, free_ports
from shared.testing.otlp import OtlpReceiver, start_otlp_receiver
from shared.testing.s3 import RunningS3
from tests.e2e.platform import MEDIA, Platform
from tests.fixtures.postgres import _create_database, _drop_database, with_database

#: The platform signs its webhooks with this; the SDK tests check the signatures.
WEBHOOK_SECRET = "e2e-webhook-secret"


@pytest.fixture(scope="session")
def webhook_ports() -> list[int]:
    """Loopback ports where tests receive webhooks or serve media: the platform is allowed
    to call exactly these (any other private address stays refused)."""
    return free_ports(5)


_COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL",
                   "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                   "AWS_PROFILE")


@pytest.fixture(scope="session")
def e2e_database(postgres_dsn: str, migrated_template: str) -> Iterator[str]:
    """A migrated database of its own for the platform, dropped at the end."""
    name = f"vidgen_e2e_{uuid4().hex[:12]}"
    asyncio.run(_create_database(postgres_dsn, name, template=migrated_template))
    try:
        yield with_database(postgres_dsn, name)
    finally:
        asyncio.run(_drop_database(postgres_dsn, name))


@pytest.fixture(scope="session")
def e2e_s3(s3_server: RunningS3) -> RunningS3:
    """The session's moto server (tests/fixtures/s3.py); every user makes buckets of its own."""
    return s3_server


@pytest.fixture(scope="session")
def otlp() -> Iterator[OtlpReceiver]:
    """Where the platform's services export their spans (OTLP/HTTP)."""
    receiver = start_otlp_receiver()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture(scope="session")
def platform(
    e2e_database: str,
    kafka_broker: RunningBroker,
    e2e_s3: RunningS3,
    otlp: OtlpReceiver,
    webhook_ports: list[int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Platform]:
    workdir = tmp_path_factory.mktemp("platform")
    prefix = f"e2e{uuid4().hex[:8]}"
    environ = {k: v for k, v in os.environ.items() if k not in _COMPONENT_VARS}
    environ.update(e2e_s3.env)
    environ.update({
        "DATABASE_URL": e2e_database,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_broker.bootstrap,
        "VIDGEN_TOPIC_PREFIX": prefix,
        # Tansu has no InitProducerId, so no idempotent producers there
        "VIDGEN_KAFKA_IDEMPOTENCE": "false" if kafka_broker.kind == "tansu" else "true",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": otlp.endpoint,
        "OTEL_BSP_SCHEDULE_DELAY": "200",  # export within a fraction of a second
        "VIDGEN_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "VIDGEN_FETCH_ALLOWED_HOSTS": ",".join(f"127.0.0.1:{port}" for port in webhook_ports),
    })
    log_path = workdir / "services.log"
    with log_path.open("w", encoding="utf-8") as log:
        stack = DevStack(ServicePorts.free(render_workers=2), environ=environ, workdir=workdir,
                         output=log, colour=False, ready_timeout=120, grace=10)
        try:
            stack.start()
        except Exception as exc:
            log.flush()
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-80:])
            pytest.fail(f"the platform did not start: {exc}\n--- {log_path} ---\n{tail}",
                        pytrace=False)
        try:
            yield Platform(stack=stack, dsn=e2e_database, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, prefix=prefix, log_path=log_path)
        finally:
            stack.stop()


@pytest.fixture(scope="session")
def photo_source(platform: Platform) -> str:
    """examples/media/photo1.jpg, uploaded to the storage service once."""
    with VidgenClient(platform.api, platform.storage) as client:
        source = client.upload_asset(MEDIA / "photo1.jpg")
    assert source.startswith("asset:")
    return source
