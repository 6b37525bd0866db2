"""Integration tests: the real-component plugins of tests/fixtures/.

pytest honours ``pytest_plugins`` only in the top-level conftest; declared here it aborts a
whole-suite run ("Defining 'pytest_plugins' in a non-top-level conftest is no longer
supported"). So the plugins' fixtures and hooks are imported instead: a conftest's names
are collected like a plugin's, for every test below this folder. When a top-level
tests/conftest.py exists, ``pytest_plugins = ["tests.fixtures.kafka",
"tests.fixtures.postgres"]`` there can replace this file.
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # plain `pytest` (unlike `python -m pytest`) leaves it out
    sys.path.insert(0, _ROOT)

from tests.fixtures.kafka import (  # noqa: E402
    kafka_bootstrap,
    kafka_broker,
    pytest_kafka_report_header,
    pytest_kafka_terminal_summary,
)
from tests.fixtures.postgres import (  # noqa: E402
    db,
    db_dsn,
    db_pool,
    empty_db_dsn,
    migrated_template,
    postgres_dsn,
)
from tests.fixtures.s3 import s3_env, s3_server  # noqa: E402

__all__ = [
    "db",
    "db_dsn",
    "db_pool",
    "empty_db_dsn",
    "kafka_bootstrap",
    "kafka_broker",
    "migrated_template",
    "postgres_dsn",
    "pytest_kafka_report_header",
    "pytest_kafka_terminal_summary",
    "s3_env",
    "s3_server",
]
