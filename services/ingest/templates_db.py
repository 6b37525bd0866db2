"""The SQL of templates (migration 0011): create, add a version, read, list, delete.

Every function takes a connection in the caller's transaction. The API runs them as the
caller (principal.acting_as): row-level security decides which templates exist for them, so
someone else's template is simply not found. The requests topic reads as the service role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from shared.composition.templates import TemplateDocument, TemplateRef

__all__ = ["StoredTemplate", "TemplateNotFound", "add_version", "delete_template", "find_template",
           "insert_template", "list_templates", "template_versions"]

_COLUMNS = """t.id, t.name, t.latest_version, t.created_at, t.updated_at, t.client_ip,
    t.api_key_id"""


#: Parsed template versions, oldest first: (id, version, name) → document.
_PARSED: dict[tuple[UUID, int, str | None], TemplateDocument] = {}
_PARSED_MOST = 256


class TemplateNotFound(LookupError):
    """No such template (or version) for this caller: answered 404."""


@dataclass(frozen=True)
class StoredTemplate:
    """One version of a template, as a job uses it."""

    id: UUID
    version: int
    latest_version: int
    name: str | None
    document: TemplateDocument
    row: asyncpg.Record  # the template's row (created_at, updated_at, ...)
    version_created_at: Any


def _document(name: str | None, composition: Any, merge_fields: Any) -> TemplateDocument:
    # the services' pool decodes jsonb (shared.db.pool); a bare connection gives text
    return TemplateDocument.model_validate({
        "name": name,
        "composition": json.loads(composition) if isinstance(composition, str) else composition,
        "merge_fields": json.loads(merge_fields) if isinstance(merge_fields, str)
        else merge_fields})


def _payload(document: TemplateDocument) -> tuple[dict[str, Any], dict[str, Any]]:
    fields = {name: field.model_dump(exclude_none=True)
              for name, field in document.merge_fields.items()}
    return document.composition, fields


async def insert_template(conn: Any, document: TemplateDocument, client_ip: str | None,
                          api_key_id: UUID | None) -> UUID:
    """A new template (version 1), owned by the API key, else the client IP."""
    template_id: UUID = await conn.fetchval(
        """INSERT INTO templates (id, name, client_ip, api_key_id)
           VALUES (gen_random_uuid(), $1, $2::inet, $3) RETURNING id""",
        document.name, client_ip, api_key_id)
    await _insert_version(conn, template_id, 1, document)
    return template_id


async def _insert_version(conn: Any, template_id: UUID, version: int,
                          document: TemplateDocument) -> None:
    """One version's row (jsonb through the pool's codec: dicts in, dicts out)."""
    composition, fields = _payload(document)
    await conn.execute(
        """INSERT INTO template_versions (template_id, version, composition, merge_fields)
           VALUES ($1, $2, $3, $4)""",
        template_id, version, composition, fields)


async def add_version(conn: Any, template_id: UUID, document: TemplateDocument) -> int | None:
    """The next version of a template (None: no such template for this caller). The update
    of the template's row serialises concurrent additions."""
    version: int | None = await conn.fetchval(
        """UPDATE templates SET latest_version = latest_version + 1, updated_at = now(),
                                name = coalesce($2, name)
           WHERE id = $1 RETURNING latest_version""",
        template_id, document.name)
    if version is not None:
        await _insert_version(conn, template_id, version, document)
    return version


async def find_template(conn: Any, ref: TemplateRef) -> StoredTemplate | None:
    """The version `ref` names (its latest when it names none).

    Whether the caller may see it, and which version is the latest, is asked every time; a
    version's document is parsed once per process (`_PARSED`), since a version never
    changes. The name is part of the key: a new version may rename the template."""
    row = await conn.fetchrow(
        f"""SELECT {_COLUMNS}, v.version, v.created_at AS version_created_at
            FROM templates AS t
            JOIN template_versions AS v
              ON v.template_id = t.id AND v.version = coalesce($2, t.latest_version)
            WHERE t.id = $1""",
        ref.id, ref.version)
    if row is None:
        return None
    key = (row["id"], row["version"], row["name"])
    document = _PARSED.get(key)
    if document is None:
        body = await conn.fetchrow(
            """SELECT composition, merge_fields FROM template_versions
               WHERE template_id = $1 AND version = $2""", row["id"], row["version"])
        if body is None:  # deleted in between
            return None
        document = _document(row["name"], body["composition"], body["merge_fields"])
        _PARSED[key] = document
        while len(_PARSED) > _PARSED_MOST:
            _PARSED.pop(next(iter(_PARSED)))
    return StoredTemplate(row["id"], row["version"], row["latest_version"], row["name"],
                          document, row, row["version_created_at"])


async def template_versions(conn: Any, template_id: UUID) -> list[int]:
    return [row["version"] for row in await conn.fetch(
        "SELECT version FROM template_versions WHERE template_id = $1 ORDER BY version",
        template_id)]


async def list_templates(conn: Any, limit: int, offset: int) -> tuple[list[asyncpg.Record], int]:
    """A page of the caller's templates, newest first, and how many there are."""
    rows = await conn.fetch(
        f"""SELECT {_COLUMNS} FROM templates AS t
            ORDER BY t.created_at DESC, t.id DESC LIMIT $1 OFFSET $2""", limit, offset)
    total = await conn.fetchval("SELECT count(*) FROM templates")
    return list(rows), int(total)


async def delete_template(conn: Any, template_id: UUID) -> bool:
    """Remove a template and its versions; jobs keep their record of it."""
    deleted = await conn.fetchval("DELETE FROM templates WHERE id = $1 RETURNING id",
                                  template_id)
    return deleted is not None
