"""The migration runner against a real server: apply, re-apply, roll back, recover."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
import pytest

from shared.db.migrate import MigrationError, discover, main, migrate, rollback

ALL = [m.version for m in discover()]
ROLES = ["vidgen_admin", "vidgen_anon", "vidgen_authenticated", "vidgen_service"]

SCHEMA_OBJECTS = """
SELECT
  (SELECT count(*) FROM pg_tables WHERE schemaname = 'public'
                                    AND tablename <> 'schema_migrations') AS tables,
  (SELECT count(*) FROM pg_views WHERE schemaname = 'public') AS views,
  (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname IN ('public', 'auth')) AS functions,
  (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype = 'e') AS enums,
  (SELECT count(*) FROM pg_namespace WHERE nspname = 'auth') AS auth_schema
"""


async def fetch_one(dsn: str, sql: str) -> asyncpg.Record:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(sql)
        assert row is not None
        return row
    finally:
        await conn.close()


async def versions(dsn: str) -> list[int]:
    conn = await asyncpg.connect(dsn)
    try:
        return [r["version"] for r in
                await conn.fetch("SELECT version FROM schema_migrations ORDER BY version")]
    finally:
        await conn.close()


def copy_migrations(tmp_path: Path) -> Path:
    target = tmp_path / "migrations"
    shutil.copytree(discover()[0].up_path.parent, target)
    return target


def test_migrations_are_numbered_in_order_with_both_directions() -> None:
    assert list(range(1, len(ALL) + 1)) == ALL
    assert all(m.up_path.exists() and m.down_path.exists() for m in discover())


async def test_migrate_applies_everything_once(empty_db_dsn: str) -> None:
    assert await migrate(empty_db_dsn) == ALL
    assert await migrate(empty_db_dsn) == []
    assert await versions(empty_db_dsn) == ALL
    counts = await fetch_one(empty_db_dsn, SCHEMA_OBJECTS)
    assert counts["tables"] == 16
    assert counts["views"] == 10
    assert counts["enums"] == 6
    assert counts["functions"] >= 20


async def test_rollback_to_zero_leaves_nothing_and_migrate_works_again(
    empty_db_dsn: str,
) -> None:
    await migrate(empty_db_dsn)
    assert await rollback(empty_db_dsn, to=0) == ALL[::-1]
    assert dict(await fetch_one(empty_db_dsn, SCHEMA_OBJECTS)) == {
        "tables": 0, "views": 0, "functions": 0, "enums": 0, "auth_schema": 0,
    }
    assert await versions(empty_db_dsn) == []
    assert await migrate(empty_db_dsn) == ALL
    assert (await fetch_one(empty_db_dsn, SCHEMA_OBJECTS))["tables"] == 16


async def test_every_single_step_rolls_back_and_reapplies(empty_db_dsn: str) -> None:
    await migrate(empty_db_dsn)
    for version in reversed(ALL):
        assert await rollback(empty_db_dsn) == [version]
        assert await migrate(empty_db_dsn, target=version) == [version]
        assert await rollback(empty_db_dsn) == [version]
    assert await versions(empty_db_dsn) == []


async def test_target_and_steps(empty_db_dsn: str) -> None:
    assert await migrate(empty_db_dsn, target=3) == [1, 2, 3]
    assert await migrate(empty_db_dsn, target=2) == []
    assert await rollback(empty_db_dsn, steps=2) == [3, 2]
    assert await rollback(empty_db_dsn, steps=0) == []
    assert await versions(empty_db_dsn) == [1]
    assert await migrate(empty_db_dsn) == ALL[1:]


async def test_rollback_rejects_conflicting_arguments(empty_db_dsn: str) -> None:
    with pytest.raises(ValueError, match="either"):
        await rollback(empty_db_dsn, 1, to=0)
    with pytest.raises(ValueError, match="negative"):
        await rollback(empty_db_dsn, to=-1)


async def test_concurrent_runners_apply_each_migration_once(empty_db_dsn: str) -> None:
    results = await asyncio.gather(*(migrate(empty_db_dsn) for _ in range(3)))
    assert sorted(v for applied in results for v in applied) == ALL
    assert await versions(empty_db_dsn) == ALL


async def test_failing_migration_is_rolled_back_whole(empty_db_dsn: str, tmp_path: Path) -> None:
    directory = tmp_path / "m"
    directory.mkdir()
    (directory / "0001_ok.up.sql").write_text("CREATE TABLE kept (id int);")
    (directory / "0001_ok.down.sql").write_text("DROP TABLE kept;")
    (directory / "0002_bad.up.sql").write_text("CREATE TABLE half (id int); SELECT 1/0;")
    (directory / "0002_bad.down.sql").write_text("DROP TABLE half;")
    with pytest.raises(asyncpg.DivisionByZeroError):
        await migrate(empty_db_dsn, directory=directory)
    assert await versions(empty_db_dsn) == [1]
    row = await fetch_one(empty_db_dsn, "SELECT to_regclass('kept') AS kept, "
                                        "to_regclass('half') AS half")
    assert row["kept"] == "kept"
    assert row["half"] is None


async def test_edited_applied_migration_is_refused(empty_db_dsn: str, tmp_path: Path) -> None:
    directory = copy_migrations(tmp_path)
    await migrate(empty_db_dsn, target=2, directory=directory)
    (directory / "0002_enums.up.sql").write_text("-- changed\n")
    with pytest.raises(MigrationError, match=r"edited.*\[2\]"):
        await migrate(empty_db_dsn, directory=directory)


def test_discover_rejects_incomplete_or_misnamed_files(tmp_path: Path) -> None:
    (tmp_path / "0001_a.up.sql").write_text("")
    with pytest.raises(MigrationError, match="both"):
        discover(tmp_path)
    (tmp_path / "0001_a.down.sql").write_text("")
    (tmp_path / "notes.sql").write_text("")
    with pytest.raises(MigrationError, match="unexpected"):
        discover(tmp_path)
    (tmp_path / "notes.sql").unlink()
    (tmp_path / "0001_b.up.sql").write_text("")
    with pytest.raises(MigrationError, match="two migrations"):
        discover(tmp_path)


async def test_rollback_without_down_file_is_refused(empty_db_dsn: str, tmp_path: Path) -> None:
    directory = copy_migrations(tmp_path)
    await migrate(empty_db_dsn, target=2, directory=directory)
    for path in directory.glob("0002_*"):
        path.unlink()
    with pytest.raises(MigrationError, match=r"no down migration.*\[2\]"):
        await rollback(empty_db_dsn, directory=directory)
    assert await versions(empty_db_dsn) == [1, 2]


async def test_roles_exist_without_login_or_rls_bypass(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        "SELECT rolname, rolcanlogin, rolbypassrls, rolsuper, rolinherit FROM pg_roles "
        "WHERE rolname LIKE 'vidgen\\_%' ORDER BY rolname"
    )
    login = [r for r in rows if r["rolname"] == "vidgen_app"]  # the services' login (0010)
    rows = [r for r in rows if r["rolname"] != "vidgen_app"]
    assert [r["rolname"] for r in rows] == ROLES
    assert not any(r["rolcanlogin"] or r["rolbypassrls"] or r["rolsuper"] for r in rows)
    assert [(r["rolcanlogin"], r["rolbypassrls"], r["rolsuper"], r["rolinherit"])
            for r in login] == [(True, False, False, False)]


def test_command_line(empty_db_dsn: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dsn", empty_db_dsn, "up", "--target", "1"]) == 0
    assert main(["--dsn", empty_db_dsn, "status"]) == 0
    out = capsys.readouterr().out
    assert "applied  0001_roles" in out
    assert "pending  0002_enums" in out
    assert main(["--dsn", empty_db_dsn, "down", "--to", "0"]) == 0
    assert "rolled back: [1]" in capsys.readouterr().out
