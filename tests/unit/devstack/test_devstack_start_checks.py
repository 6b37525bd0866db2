"""What the dev stack checks before it starts anything: its ports, the `embedded` extra;
and what it prints (the monitor among the URLs); and that its modules import no cycle."""

from __future__ import annotations

import ast
import io
import socket
from pathlib import Path

import pytest

from shared.cli import main
from shared.devstack import infra
from shared.devstack.infra import Infrastructure, MissingExtra, missing_embedded
from shared.devstack.stack import DevStack, PortInUse, ServicePorts

DEVSTACK = Path(infra.__file__).parent


def _stack(ports: ServicePorts, tmp_path: Path, **environ: str) -> DevStack:
    return DevStack(ports, environ=environ, workdir=tmp_path / "work", output=io.StringIO(),
                    announce=io.StringIO())


@pytest.fixture
def listener():
    """A socket listening on a loopback port, as another program's server would."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_taken_port_is_named_before_anything_starts(tmp_path, listener):
    ports = ServicePorts.free(render_workers=2)
    ports = ServicePorts(api=ports.api, storage=ports.storage, metrics=ports.metrics,
                         render=(ports.render[0], listener))
    stack = _stack(ports, tmp_path)
    assert stack.taken_ports() == [f"{listener} (render-2)"]
    with pytest.raises(PortInUse) as caught:
        stack.start()
    assert str(caught.value).startswith(f"port {listener} (render-2) is already in use; "
                                        "nothing was started")
    assert stack.processes == []
    assert not (tmp_path / "work").exists()  # no Postgres, broker or S3 either


def test_free_ports_pass_the_check(tmp_path):
    assert _stack(ServicePorts.free(render_workers=3), tmp_path).taken_ports() == []


def test_the_urls_include_the_monitor(tmp_path):
    stack = _stack(ServicePorts.from_base(18000), tmp_path)
    assert stack.urls()["monitor"] == "http://127.0.0.1:18000/monitor"


def test_missing_embedded_packages_are_named_with_the_variable_that_replaces_them():
    def nothing(module: str) -> bool:
        return False

    assert missing_embedded({"CALF_TANSU_BIN": "/x/tansu"}, installed=nothing) == [
        "pgserver (or set DATABASE_URL)", "moto[server] (or set S3_ENDPOINT_URL)"]
    external = {"DATABASE_URL": "postgresql://db/x", "KAFKA_BOOTSTRAP_SERVERS": "k:9092",
                "S3_ENDPOINT_URL": "http://s3"}
    assert missing_embedded(external, installed=nothing) == []
    assert missing_embedded({}, "kafka", installed=lambda m: m != "flask") == [
        "moto[server] (or set S3_ENDPOINT_URL)"]
    assert missing_embedded({}) == []  # this environment has the extra


def test_without_the_extra_nothing_starts_and_the_extra_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(infra, "_installed", lambda module: module != "pgserver")
    components = Infrastructure(tmp_path / "work", environ={}, announce=lambda line: None)
    with pytest.raises(MissingExtra, match=r"pip install 'vidgen\[embedded\]'") as caught:
        components.start()
    assert "missing: pgserver (or set DATABASE_URL)" in str(caught.value)
    assert not (tmp_path / "work").exists()


def test_vidgen_dev_without_the_extra_says_which_to_install(monkeypatch, capsys):
    monkeypatch.setattr(infra, "_installed", lambda module: module not in ("moto", "flask"))
    for name in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    base = next(port for port in range(21000, 60000, 7)
                if _stack(ServicePorts.from_base(port), Path()).taken_ports() == [])
    code = main(["dev", "--port", str(base)])
    err = capsys.readouterr().err
    assert code == 1
    assert "vidgen dev: the embedded components need the 'embedded' extra" in err
    assert "moto[server] (or set S3_ENDPOINT_URL)" in err
    assert "postgres:" not in err  # nothing was started


def _imports(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name.rsplit(".", 1)[-1] for name in names if name.startswith("shared.devstack.")}


def test_the_devstack_modules_import_each_other_without_a_cycle():
    graph = {path.stem: _imports(path) for path in DEVSTACK.glob("*.py")
             if path.stem != "__init__"}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import cycle: {' -> '.join((*path, name))}"
        if name not in done:
            for imported in graph.get(name, ()):
                visit(imported, (*path, name))
            done.add(name)

    for name in graph:
        visit(name, ())
