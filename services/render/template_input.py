"""`vidgen render T.json --merge name=Ana --set title.text=Hi [--data row.json]`: a template
(or any spec) filled in locally, through the same merge and modification rules as the
platform's (shared/composition/templates.py).

T.json is a template document (`{"composition", "merge_fields", ...}`) or a plain spec,
which is a template without merge fields. `--merge NAME=VALUE` gives a merge field,
`--set ID.PROP=VALUE` replaces an element's property; a value is text (the property's
type converts it: `0.8`, `true`), or JSON when it starts with `{` or `[`. `--data` is a JSON
object of the same (a key with a dot is a modification, like a CSV column); the command
line wins over it. A `source` given this way that names a local file is taken relative to
where it was written (the current directory, the data file's folder).

The template modules are imported only when a template is rendered: a plain render keeps
its start-up (probe_ahead forks before the heavy imports).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["is_template_file", "template_spec"]


def is_template_file(path: Path) -> bool:
    """Does the file hold a template document rather than a plain spec?"""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # the plain render reports it
    return isinstance(data, dict) and "composition" in data


def _value(text: str) -> Any:
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _pairs(items: list[str], option: str) -> dict[str, Any]:
    from shared.composition import Problem, SpecError

    pairs: dict[str, Any] = {}
    problems = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            problems.append(Problem(f"{option} {item}", "must be NAME=VALUE"))
            continue
        pairs[name.strip()] = value if option == "--merge" else _value(value)
    if problems:
        raise SpecError(problems)
    return pairs


def _local_sources(modifications: dict[str, Any], base: Path) -> dict[str, Any]:
    """A relative `*.source` or `*.lut` naming a file under `base` becomes its absolute path."""
    out = dict(modifications)
    for key, value in modifications.items():
        if key.endswith((".source", ".lut")) and isinstance(value, str) and "://" not in value:
            path = (base / value).expanduser()
            if path.is_file():
                out[key] = str(path.resolve())
    return out


def _data(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    from shared.composition import Problem, SpecError
    from shared.composition.templates import split_row

    try:
        row = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SpecError([Problem("--data", f"cannot read {path}: {exc}")]) from None
    if not isinstance(row, dict):
        raise SpecError([Problem("--data", "must be a JSON object")])
    merge, modifications = split_row(row)
    return merge, _local_sources(modifications, path.parent)


def template_spec(path: Path, merge: list[str], changes: list[str],
                  data: Path | None) -> str:
    """The spec (JSON text) the template at `path` makes with these values. Raises
    SpecError naming each problem by its place in the request (`merge.name`,
    `modifications["title.text"]`) or in the template."""
    from shared.composition import Problem, SpecError
    from shared.composition.templates import apply_template, check_template, expand

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError([Problem("$", f"cannot read {path}: {exc.strerror or exc}")]) from None
    except ValueError as exc:
        raise SpecError([Problem("$", f"not valid JSON: {exc}")]) from None
    if isinstance(document, dict) and "composition" not in document:
        document = {"composition": document}
    template = check_template(document)
    given, modifications = _data(data) if data else ({}, {})
    request = {"template": str(path), "merge": {**given, **_pairs(merge, "--merge")},
               "modifications": {**modifications,
                                 **_local_sources(_pairs(changes, "--set"), Path.cwd())}}
    apply_template(template, request)  # every problem at once, by the request's paths
    return json.dumps(expand(template, request).data)
