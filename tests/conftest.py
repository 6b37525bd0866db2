"""The whole suite's plugins, and how its tests share the machine's cores.

The real components of tests/fixtures (Postgres, the Kafka-protocol broker, a moto S3
server) are session fixtures: started on free loopback ports the first time a test asks,
once per pytest process. Under pytest-xdist (``-n 2`` in pyproject's addopts) every worker
is a process of its own and so has servers of its own; the workers share nothing but the
machine, and every test already makes its own databases, topics, groups and buckets.

The workers get whole units of work (`unit_of`), in collection order (e2e, integration,
then the many small unit-test files that fill the gaps at the end): a test file, or a
group of files sharing an expensive fixture, so that fixture starts on one worker only:
the e2e platform (four service processes, tests/e2e/conftest.py) and the in-process
ingest service of tests/integration/ingest (package-scoped).
"""

from __future__ import annotations

from typing import Any

import pytest

pytest_plugins = ["tests.fixtures.kafka", "tests.fixtures.postgres", "tests.fixtures.s3"]

# node id prefix -> its group; the first match wins; None and anything else: the file alone
GROUPS = (
    ("tests/e2e/faults/", None),  # each fault test starts a platform of its own
    ("tests/e2e/test_e2e_dev_command.py", None),  # `vidgen dev` starts its own stacks
    ("tests/e2e/test_e2e_supervision.py", None),  # so does the supervision test
    ("tests/e2e/", "e2e-platform"),
    ("tests/integration/ingest/", "ingest-service"),
)


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its group's name, else its file."""
    path = nodeid.split("::", 1)[0]
    for prefix, group in GROUPS:
        if path.startswith(prefix):
            return group or path
    return path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under the default ``--dist load``: whole units of work per worker (`unit_of`), in
    collection order. Any other ``--dist`` given on the command line is left as it is."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    config.option.loadscopereorder = False  # collection order, not the largest count first
    return UnitScheduling(config, log)
