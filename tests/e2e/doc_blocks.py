"""The code blocks of a Markdown page, in order: the SDK pages' examples run as tests."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["DOCS", "code_blocks"]

DOCS = Path(__file__).resolve().parents[2] / "docs"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)


def code_blocks(page: Path, language: str) -> list[str]:
    """Every ```language block of `page`."""
    return [body for lang, body in _FENCE.findall(page.read_text(encoding="utf-8"))
            if lang == language]
