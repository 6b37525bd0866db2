"""A throwaway PostgreSQL server run from the binaries of the ``pgserver`` wheel.

Tests and the development stack use it when no ``DATABASE_URL`` is given. The server lives
in a fresh temporary directory, listens only on a Unix socket inside it, runs with
durability switched off (fsync and friends: it is disposable), and is deleted on ``stop()``.

Running as root: PostgreSQL refuses to run as root. pgserver's own launcher copes by adding
a ``pgserver`` system user with ``useradd`` and widening the permissions of every parent
directory of its installation (for a per-user site-packages, the home directory too). This
module changes nothing outside its temporary directory instead: as root it runs the server
as the unprivileged ``nobody`` account (or ``run_as``), and gives that account its own
hard-linked (else copied) mirror of the wheel's binaries inside the temporary directory.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

__all__ = ["EmbeddedPostgres", "EmbeddedPostgresError", "pgserver_install"]

_SERVER_SETTINGS = {
    "listen_addresses": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}


class EmbeddedPostgresError(RuntimeError):
    """The embedded server could not be set up, started or stopped."""


def pgserver_install() -> Path:
    """The ``pginstall`` directory of the installed pgserver wheel (bin/, lib/, share/).

    Found without importing pgserver, whose import has side effects (lock files).
    """
    try:
        spec = importlib.util.find_spec("pgserver")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError(
            "the pgserver package is not installed: pip install pgserver, or set DATABASE_URL"
        )
    install = Path(next(iter(spec.submodule_search_locations))) / "pginstall"
    if not (install / "bin" / "postgres").exists():
        raise EmbeddedPostgresError(f"pgserver has no PostgreSQL binaries under {install}")
    return install


@dataclass(frozen=True)
class _Account:
    uid: int
    gid: int

    def subprocess_kwargs(self) -> dict[str, Any]:
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


class EmbeddedPostgres:
    """Start with ``start()`` (returns a DSN for the ``postgres`` superuser), end with
    ``stop()``; or use as a context manager."""

    def __init__(
        self,
        base_dir: Path | None = None,
        run_as: str = "nobody",
        settings: Mapping[str, str] | None = None,
    ) -> None:
        """``settings`` are extra postgresql.conf parameters; ``run_as`` is the account used
        when running as root; ``base_dir`` holds the temporary directory."""
        self._base_dir = base_dir
        self._run_as = run_as
        self._settings = {**_SERVER_SETTINGS, **(settings or {})}
        self._root: Path | None = None
        self._account: _Account | None = None
        self._bin: Path | None = None
        self.dsn: str | None = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def _data(self) -> Path:
        assert self._root is not None
        return self._root / "data"

    def start(self) -> str:
        """Create, configure and start the server; return its DSN."""
        if self.dsn is not None:
            return self.dsn
        install = pgserver_install()
        self._root = Path(tempfile.mkdtemp(prefix="vidgen-pg-", dir=self._base_dir))
        try:
            self._bin = self._prepare(install)
            self._run("initdb", "-D", str(self._data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions")
            self._configure()
            self._run("pg_ctl", "-D", str(self._data), "-l", str(self._data / "server.log"),
                      "-w", "-t", "60", "start")
        except BaseException:
            self._remove()
            raise
        self.dsn = f"postgresql://postgres@/postgres?host={quote(str(self._data), safe='/')}"
        return self.dsn

    def halt(self) -> None:
        """Stop the server (fast shutdown: clients are disconnected), keeping its data, as a
        database restart or failover does; `resume()` starts it again at the same DSN."""
        assert self._root is not None, "not started"
        self._run("pg_ctl", "-D", str(self._data), "-w", "-m", "fast", "stop")

    def resume(self) -> None:
        """Start the server `halt()` stopped, on the same data and socket."""
        assert self._root is not None, "not started"
        self._run("pg_ctl", "-D", str(self._data), "-l", str(self._data / "server.log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        """Stop the server and delete its directory. Safe to call more than once."""
        if self._root is None:
            return
        try:
            if (self._data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self._data), "-w", "-m", "fast", "stop")
        finally:
            self._remove()

    def _prepare(self, install: Path) -> Path:
        """Return the bin directory to use; as root, set up the unprivileged account."""
        assert self._root is not None
        self._data.mkdir(mode=0o700)
        if os.geteuid() != 0:
            return install / "bin"
        try:
            entry = pwd.getpwnam(self._run_as)
        except KeyError:
            raise EmbeddedPostgresError(
                f"running as root, and there is no {self._run_as!r} account to run "
                "PostgreSQL as; create one or set DATABASE_URL"
            ) from None
        closed = [p for p in self._root.parents if not p.stat().st_mode & stat.S_IXOTH]
        if closed:
            raise EmbeddedPostgresError(
                f"{closed[0]} is not searchable by {self._run_as!r}, which runs PostgreSQL "
                "when running as root; point TMPDIR (or base_dir) elsewhere"
            )
        self._account = _Account(entry.pw_uid, entry.pw_gid)
        self._root.chmod(0o755)
        os.chown(self._data, entry.pw_uid, entry.pw_gid)
        return _mirror(install, self._root / "pkg")

    def _configure(self) -> None:
        settings = {**self._settings, "unix_socket_directories": str(self._data)}
        lines = [f"{key} = '{value.replace(chr(39), chr(39) * 2)}'"
                 for key, value in settings.items()]
        with (self._data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# vidgen embedded server\n" + "\n".join(lines) + "\n")

    def _run(self, program: str, *args: str) -> None:
        assert self._bin is not None and self._root is not None
        extra = self._account.subprocess_kwargs() if self._account else {}
        try:
            subprocess.run(
                [str(self._bin / program), *args], cwd=self._root, check=True, timeout=120,
                stdin=subprocess.DEVNULL, capture_output=True, text=True, **extra,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise EmbeddedPostgresError(
                f"{program} failed: {exc}\nstdout: {_text(exc.stdout)}\n"
                f"stderr: {_text(exc.stderr)}\n"
                f"server log:\n{self._server_log()}"
            ) from exc

    def _server_log(self) -> str:
        log = self._data / "server.log"
        return log.read_text(errors="replace")[-4000:] if log.exists() else "(none)"

    def _remove(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
        self._root = self.dsn = self._account = self._bin = None


def _mirror(install: Path, dest: Path) -> Path:
    """Hard-link (else copy) the server's files under ``dest``, keeping the layout that the
    binaries' relative library paths expect: ``<pkg>/pginstall/*`` and the wheel's vendored
    ``pgserver.libs`` beside the package. Returns the mirrored bin directory."""
    package = install.parent
    for part in ("bin", "lib", "share"):
        shutil.copytree(install / part, dest / package.name / install.name / part,
                        symlinks=True, copy_function=_link_or_copy)
    vendored = package.parent / f"{package.name}.libs"
    if vendored.is_dir():
        shutil.copytree(vendored, dest / vendored.name, symlinks=True,
                        copy_function=_link_or_copy)
    return dest / package.name / install.name / "bin"


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _link_or_copy(src: str, dst: str) -> object:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
    return dst
