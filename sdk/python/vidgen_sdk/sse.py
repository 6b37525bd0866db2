"""A parser of `text/event-stream` lines, shared by the sync and async clients."""

from __future__ import annotations

import json

from vidgen_sdk.models import ServerEvent

__all__ = ["SseParser"]


class SseParser:
    """Feed it the stream's lines; it returns each event once its blank line arrives.
    Comments (keepalives) are skipped."""

    def __init__(self) -> None:
        self._fields: dict[str, str] = {}

    def feed(self, line: str) -> ServerEvent | None:
        if line.startswith(":"):
            return None
        if line:
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            old = self._fields.get(name)
            self._fields[name] = value if old is None or name != "data" else f"{old}\n{value}"
            return None
        fields, self._fields = self._fields, {}
        if "data" not in fields and "event" not in fields:
            return None
        text = fields.get("data", "")
        try:
            data = json.loads(text) if text else None
        except ValueError:
            data = text
        return ServerEvent(fields.get("event", "message"), fields.get("id"), data)
