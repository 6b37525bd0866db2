"""`vidgen db ...`, the command the Kubernetes migration Job runs, against a real database."""

from __future__ import annotations

import pytest

from shared.cli import main
from shared.db.migrate import discover


def test_vidgen_db_migrate_status_rollback(empty_db_dsn: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    latest = discover()[-1]
    assert main(["db", "--dsn", empty_db_dsn, "migrate", "--target", "2"]) == 0
    assert main(["db", "--dsn", empty_db_dsn, "status"]) == 0
    out = capsys.readouterr().out
    assert "applied  0002_" in out
    assert f"pending  {latest.version:04d}_{latest.name}" in out

    assert main(["db", "--dsn", empty_db_dsn, "migrate"]) == 0
    assert main(["db", "--dsn", empty_db_dsn, "status"]) == 0
    assert "pending" not in capsys.readouterr().out

    assert main(["db", "--dsn", empty_db_dsn, "rollback", "--to", "0"]) == 0
    assert "rolled back:" in capsys.readouterr().out
