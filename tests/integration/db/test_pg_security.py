"""auth.* helpers, role privileges and row-level security, exercised as each vidgen role."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest

IP_A, IP_B = "198.51.100.1", "198.51.100.2"


async def visible_jobs(conn: asyncpg.Connection) -> set[UUID]:
    return {r["id"] for r in await conn.fetch("SELECT id FROM jobs")}


@pytest.fixture
async def jobs(make_job, make_api_key) -> dict[str, UUID]:
    """Jobs of two anonymous IPs and of two API keys (one of them created from IP_A)."""
    key_1, key_2 = await make_api_key("one"), await make_api_key("two")
    return {
        "anon_a": await make_job(client_ip=IP_A),
        "anon_b": await make_job(client_ip=IP_B),
        "key_1": await make_job(client_ip=IP_A, api_key_id=key_1),
        "key_2": await make_job(client_ip=IP_B, api_key_id=key_2),
        "key_1_id": key_1,
        "key_2_id": key_2,
    }


# --- auth.* helpers -------------------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), [
    ("anon", "anon"), ("authenticated", "authenticated"),
    ("service_account", "service_account"), ("admin", "admin"),
])
async def test_user_role_follows_the_database_role(as_role, role: str, expected: str) -> None:
    async with as_role(role) as conn:
        assert await conn.fetchval("SELECT auth.user_role()") == expected
        assert await conn.fetchval("SELECT auth.is_admin()") is (expected == "admin")
        assert await conn.fetchval("SELECT auth.is_privileged()") is (
            expected in ("service_account", "admin"))


async def test_role_setting_narrows_but_never_widens(db: asyncpg.Connection, as_role) -> None:
    async with as_role("anon", app_role="admin") as conn:
        assert await conn.fetchval("SELECT auth.user_role()") == "anon"
    async with as_role("authenticated", app_role="service_account") as conn:
        assert await conn.fetchval("SELECT auth.user_role()") == "authenticated"
    login = f"test_api_login_{uuid4().hex[:12]}"  # roles are cluster-wide: a unique name
    await db.execute(f"CREATE ROLE {login} NOLOGIN")
    try:
        await db.execute(f"GRANT vidgen_anon, vidgen_service TO {login}")
        async with db.transaction():
            await db.execute(f"SET LOCAL ROLE {login}")
            assert await db.fetchval("SELECT auth.user_role()") == "service_account"
            await db.execute("SELECT set_config('vidgen.role', 'anon', true)")
            assert await db.fetchval("SELECT auth.user_role()") == "anon"
            await db.execute("SELECT set_config('vidgen.role', 'admin', true)")
            assert await db.fetchval("SELECT auth.user_role()") == "service_account"
    finally:
        await db.execute(f"DROP ROLE {login}")


async def test_client_ip_and_user_id(as_role) -> None:
    user = "6f1c1c1e-7f1e-4c1e-9a1e-1e1e1e1e1e1e"
    async with as_role("authenticated", client_ip=IP_A, user_id=user) as conn:
        assert str(await conn.fetchval("SELECT auth.client_ip()")) == IP_A
        assert str(await conn.fetchval("SELECT auth.user_id()")) == user
    async with as_role("anon", client_ip="not-an-ip", user_id="not-a-uuid") as conn:
        assert await conn.fetchval("SELECT auth.client_ip()") is None
        assert await conn.fetchval("SELECT auth.user_id()") is None
    async with as_role("anon") as conn:
        assert await conn.fetchval("SELECT auth.client_ip()") is None


async def test_can_subscribe_to_job(as_role, jobs: dict[str, UUID]) -> None:
    check = "SELECT auth.can_subscribe_to_job($1)"
    async with as_role("anon", client_ip=IP_A) as conn:
        assert await conn.fetchval(check, jobs["anon_a"]) is True
        assert await conn.fetchval(check, jobs["anon_b"]) is False
        assert await conn.fetchval(check, jobs["key_1"]) is False
    async with as_role("authenticated", client_ip=IP_A, user_id=jobs["key_1_id"]) as conn:
        assert await conn.fetchval(check, jobs["key_1"]) is True
        assert await conn.fetchval(check, jobs["key_2"]) is False
        assert await conn.fetchval(check, jobs["anon_a"]) is False
    async with as_role("admin") as conn:
        assert await conn.fetchval(check, jobs["key_2"]) is True
        assert await conn.fetchval(check, UUID(int=7)) is False


# --- row-level security on jobs -------------------------------------------------------


async def test_anon_sees_only_anonymous_jobs_from_its_ip(as_role, jobs: dict[str, UUID]) -> None:
    async with as_role("anon", client_ip=IP_A) as conn:
        assert await visible_jobs(conn) == {jobs["anon_a"]}
        assert await conn.fetchval("SELECT count(*) FROM jobs WHERE id = $1",
                                   jobs["anon_b"]) == 0
    async with as_role("anon", client_ip=IP_B) as conn:
        assert await visible_jobs(conn) == {jobs["anon_b"]}
    async with as_role("anon") as conn:
        assert await visible_jobs(conn) == set()


async def test_authenticated_sees_only_its_key_jobs(as_role, jobs: dict[str, UUID]) -> None:
    async with as_role("authenticated", client_ip=IP_A, user_id=jobs["key_1_id"]) as conn:
        assert await visible_jobs(conn) == {jobs["key_1"]}
    async with as_role("authenticated", client_ip=IP_A) as conn:  # no principal: nothing
        assert await visible_jobs(conn) == set()


async def test_anon_cannot_claim_a_higher_role(as_role, jobs: dict[str, UUID]) -> None:
    async with as_role("anon", client_ip=IP_A, app_role="admin",
                       user_id=jobs["key_2_id"]) as conn:
        assert await visible_jobs(conn) == {jobs["anon_a"]}


@pytest.mark.parametrize("role", ["service_account", "admin"])
async def test_services_and_admins_see_everything(as_role, jobs: dict[str, UUID],
                                                 role: str) -> None:
    async with as_role(role) as conn:
        assert await visible_jobs(conn) == {jobs[k] for k in ("anon_a", "anon_b", "key_1",
                                                              "key_2")}
        await conn.execute("UPDATE jobs SET worker_id = 'w1'")
        assert await conn.fetchval("SELECT count(*) FROM jobs WHERE worker_id = 'w1'") == 4


async def test_anon_creates_jobs_only_as_itself(as_role, jobs: dict[str, UUID]) -> None:
    create = "SELECT create_job('mp4', 640, 360, 30, $1::inet, 'ua', '{}')"
    async with as_role("anon", client_ip=IP_A) as conn:
        assert await conn.fetchval(create, IP_A)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.fetchval(create, IP_B)
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.execute("INSERT INTO jobs (width, height, client_ip, api_key_id) "
                               "VALUES (1, 1, $1, $2)", IP_A, jobs["key_1_id"])


@pytest.mark.parametrize(("column", "value"), [
    ("status", "'completed'"), ("result_url", "'https://x'"), ("worker_id", "'w'"),
    ("attempts", "3"), ("progress_percentage", "100"),
])
async def test_users_cannot_fill_in_service_columns(as_role, column: str, value: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.execute(f"INSERT INTO jobs (width, height, client_ip, {column}) "
                               f"VALUES (1, 1, $1, {value})", IP_A)


async def test_authenticated_creates_jobs_for_its_key(as_role, jobs: dict[str, UUID]) -> None:
    create = ("SELECT create_job('mp4', 640, 360, 30, $1::inet, 'ua', '{}', '{}', 'async', $2, "
              "'idem')")
    async with as_role("authenticated", client_ip=IP_A, user_id=jobs["key_1_id"]) as conn:
        job = await conn.fetchval(create, IP_A, jobs["key_1_id"])
        assert await conn.fetchval(create, IP_B, jobs["key_1_id"]) == job  # idempotent
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("authenticated", client_ip=IP_A, user_id=jobs["key_1_id"]) as conn:
            await conn.fetchval(create, IP_A, jobs["key_2_id"])


async def test_owners_may_cancel_and_nothing_else(db: asyncpg.Connection, as_role,
                                                 jobs: dict[str, UUID]) -> None:
    async with as_role("anon", client_ip=IP_A) as conn:
        assert await conn.execute("UPDATE jobs SET status = 'cancelled' WHERE id = $1",
                                  jobs["anon_b"]) == "UPDATE 0"
        assert await conn.execute("UPDATE jobs SET status = 'cancelled' WHERE id = $1",
                                  jobs["anon_a"]) == "UPDATE 1"
    assert await db.fetchval("SELECT status FROM jobs WHERE id = $1", jobs["anon_a"]) == \
        "cancelled"
    assert await db.fetchval("SELECT status FROM jobs WHERE id = $1", jobs["anon_b"]) == \
        "pending"
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("authenticated", user_id=jobs["key_1_id"]) as conn:
            await conn.execute("UPDATE jobs SET status = 'processing' WHERE id = $1",
                               jobs["key_1"])
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role("authenticated", user_id=jobs["key_1_id"]) as conn:
            await conn.execute("UPDATE jobs SET result_url = 'x' WHERE id = $1", jobs["key_1"])
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role("anon", client_ip=IP_B) as conn:
            await conn.execute("DELETE FROM jobs WHERE id = $1", jobs["anon_b"])


# --- tables that hang off jobs --------------------------------------------------------


async def test_child_rows_follow_job_visibility(db: asyncpg.Connection, as_role,
                                               jobs: dict[str, UUID]) -> None:
    for key in ("anon_a", "anon_b"):
        job = jobs[key]
        await db.execute("INSERT INTO elements (job_id, element_key, element_type) "
                         "VALUES ($1, 'e', 'text')", job)
        await db.execute("INSERT INTO processing_timeline (job_id, step) VALUES ($1, 'download')",
                         job)
        await db.execute("INSERT INTO storage_operations (job_id, operation) "
                         "VALUES ($1, 'download')", job)
    async with as_role("anon", client_ip=IP_A) as conn:
        for table in ("elements", "processing_timeline", "storage_operations"):
            rows = await conn.fetch(f"SELECT job_id FROM {table}")
            assert [r["job_id"] for r in rows] == [jobs["anon_a"]], table


async def test_elements_may_be_added_to_own_pending_jobs_only(db: asyncpg.Connection, as_role,
                                                              jobs: dict[str, UUID]) -> None:
    add = ("INSERT INTO elements (job_id, element_key, element_type, source_url) "
           "VALUES ($1, $2, 'image', 'https://example.com/i.png')")
    async with as_role("anon", client_ip=IP_A) as conn:
        await conn.execute(add, jobs["anon_a"], "mine")
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.execute(add, jobs["anon_b"], "theirs")
    await db.execute("UPDATE jobs SET status = 'processing' WHERE id = $1", jobs["anon_a"])
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.execute(add, jobs["anon_a"], "late")


@pytest.mark.parametrize("table", [
    "system_metrics", "outbox", "processed_events", "asset_cache", "api_keys", "rate_limits",
    "url_access_logs", "security_events",
])
@pytest.mark.parametrize("role", ["anon", "authenticated"])
async def test_internal_tables_are_closed_to_users(as_role, table: str, role: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role(role, client_ip=IP_A) as conn:
            await conn.fetch(f"SELECT * FROM {table}")


async def test_service_account_uses_internal_tables(as_role, make_job) -> None:
    job = await make_job()
    async with as_role("service_account") as conn:
        await conn.execute("INSERT INTO outbox (topic, key, payload) VALUES ('t', 'k', '{}')")
        await conn.execute("INSERT INTO processed_events (consumer, event_id) "
                           "VALUES ('c', gen_random_uuid())")
        await conn.execute("INSERT INTO system_metrics (metric_name, metric_value) "
                           "VALUES ('m', 1)")
        await conn.execute("INSERT INTO processing_timeline (job_id, step) VALUES ($1, 'upload')",
                           job)
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 1
        assert await conn.fetchval("SELECT update_job_progress($1, 5)", job) is False
        assert await conn.fetchval("SELECT cleanup_old_metrics()") == 0


# --- functions under each role ---------------------------------------------------------


async def test_users_can_log_and_rate_limit_but_not_read_the_trail(
    db: asyncpg.Connection, as_role
) -> None:
    async with as_role("anon", client_ip=IP_A) as conn:
        assert await conn.fetchval("SELECT log_security_event('bad_key')")
        assert await conn.fetchval("SELECT check_rate_limit($1, 1)", IP_A) is True
        assert await conn.fetchval("SELECT check_rate_limit($1, 1)", IP_A) is False
    row = await db.fetchrow("SELECT client_ip, app_role, db_user FROM security_events")
    assert (str(row["client_ip"]), row["app_role"], row["db_user"]) == (IP_A, "anon",
                                                                        "postgres")


@pytest.mark.parametrize("call", [
    "SELECT cleanup_old_jobs(30)", "SELECT cleanup_old_metrics(7)",
    "SELECT enforce_data_retention()", "SELECT * FROM get_job_statistics()",
    "SELECT update_job_progress(gen_random_uuid(), 1)",
])
async def test_maintenance_functions_are_closed_to_users(as_role, call: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.fetch(call)


async def test_views_apply_the_callers_policies(as_role, jobs: dict[str, UUID]) -> None:
    async with as_role("anon", client_ip=IP_A) as conn:
        for view in ("job_summary", "job_status_realtime", "active_jobs"):
            rows = await conn.fetch(f"SELECT id FROM {view}")
            assert [r["id"] for r in rows] == [jobs["anon_a"]], view
        assert await conn.fetchval("SELECT calculate_job_progress($1)", jobs["anon_b"]) is None
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with as_role("anon", client_ip=IP_A) as conn:
            await conn.fetch("SELECT * FROM daily_job_stats")
    async with as_role("admin") as conn:
        assert await conn.fetchval("SELECT sum(total_jobs) FROM daily_job_stats") == 4
