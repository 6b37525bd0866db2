"""`vidgen templates create|version|list|show|delete`: templates on the platform's API.

    vidgen templates create examples/templates/greeting.json   # prints the id and version
    vidgen templates version ID greeting.json                  # adds a version
    vidgen templates list | show ID[@version] | delete ID

A template file is the document `POST /v1/templates` takes (shared/composition/templates.py):
`{"name", "composition", "merge_fields"}`. Its local sources (paths relative to the file,
without merge fields) are uploaded to the storage service first, as `vidgen submit` does.
The API key comes from `--api-key` or `VIDGEN_API_KEY` (none: anonymous, owned by this
machine's address). Exit codes: 0 done, 1 the platform failed or could not be reached or
the template is not found, 2 the template is invalid (`path: message` per problem).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from pathlib import Path
from typing import Any

from shared.client.api import ApiError, InvalidJob, VidgenClient
from shared.client.settings import ClientSettings
from shared.client.sources import is_local
from shared.composition import Problem, SpecError
from shared.composition.templates import check_template

__all__ = ["add_client_options", "add_commands", "client_from", "read_template",
           "upload_template_sources"]


def add_client_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--api", help="base URL of the API (default: VIDGEN_PUBLIC_URL)")
    command.add_argument("--storage",
                         help="base URL of the storage service (default: VIDGEN_RESULTS_URL)")
    command.add_argument("--api-key", default=os.environ.get("VIDGEN_API_KEY"),
                         help="API key sent with the jobs and uploads, never with downloads "
                              "(default: VIDGEN_API_KEY; none: anonymous)")


def client_from(args: argparse.Namespace) -> VidgenClient:
    settings = ClientSettings()  # a CLI entry point: its settings are read here
    key = getattr(args, "api_key", None)
    return VidgenClient(args.api or settings.public_url, args.storage or settings.results_url,
                        api_key=key or None)


def add_commands(commands: Any) -> None:
    group = commands.add_parser("templates", help="store and manage templates on the platform")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="store a template file (prints its id)")
    create.add_argument("file", type=Path)
    version = actions.add_parser("version", help="add a version to a template")
    version.add_argument("id")
    version.add_argument("file", type=Path)
    listing = actions.add_parser("list", help="your templates, newest first")
    listing.add_argument("--limit", type=int, default=100)
    show = actions.add_parser("show", help="print a template (JSON)")
    show.add_argument("id", help="ID or ID@version")
    delete = actions.add_parser("delete", help="delete a template and its versions")
    delete.add_argument("id")
    for command in (create, version, listing, show, delete):
        add_client_options(command)
        command.set_defaults(handler=_templates_command)


def read_template(path: Path) -> dict[str, Any]:
    """A template file, checked locally. Raises SpecError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError([Problem("$", f"cannot read {path}: {exc.strerror or exc}")]) from None
    except ValueError as exc:
        raise SpecError([Problem("$", f"not valid JSON: {exc}")]) from None
    check_template(data)
    assert isinstance(data, dict)
    return data


def upload_template_sources(document: dict[str, Any], base: Path,
                            client: VidgenClient) -> dict[str, Any]:
    """A copy whose local element sources are uploaded (`asset:<sha256>`); a source with
    a merge field is left for the job to fill in. Raises SpecError for a missing file."""
    rewritten = copy.deepcopy(document)
    elements = rewritten["composition"].get("elements") or []
    uploaded: dict[Path, str] = {}
    problems = []
    for index, element in enumerate(elements):
        source = element.get("source") if isinstance(element, dict) else None
        if not isinstance(source, str) or "{{" in source or not is_local(source):
            continue
        path = (base / source.removeprefix("file://")).expanduser().resolve()
        if not path.is_file():
            problems.append(Problem(f"composition.elements[{index}].source",
                                    f"file not found: {source}"))
            continue
        if path not in uploaded:
            uploaded[path] = client.upload_asset(path)
        element["source"] = uploaded[path]
    if problems:
        raise SpecError(problems)
    return rewritten


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(f"{problem.path}: {problem.message}", file=sys.stderr)


def _templates_command(args: argparse.Namespace) -> int:
    try:
        with client_from(args) as client:
            return _run(args, client)
    except (SpecError, InvalidJob) as exc:
        _print_problems(exc.problems)
        return 2
    except ApiError as exc:
        if exc.status_code == 404:
            print(f"template {args.id} not found", file=sys.stderr)
        else:
            print(f"vidgen templates: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, client: VidgenClient) -> int:
    if args.action in ("create", "version"):
        document = upload_template_sources(read_template(args.file), args.file.parent, client)
        path = "/v1/templates" if args.action == "create" else f"/v1/templates/{args.id}/versions"
        answer = client.call("POST", path, 201, json=document)
        print(f"{answer['id']}@{answer['version']}")
    elif args.action == "list":
        answer = client.call("GET", "/v1/templates", 200, params={"limit": args.limit})
        for item in answer["templates"]:
            print(f"{item['id']}  v{item['latest_version']:<3} {item['updated_at'][:19]}  "
                  f"{item['name'] or ''}")
    elif args.action == "show":
        ident, _, version = str(args.id).partition("@")
        params = {"version": version} if version else {}
        print(json.dumps(client.call("GET", f"/v1/templates/{ident}", 200, params=params),
                         indent=2))
    else:
        client.call("DELETE", f"/v1/templates/{args.id}", 200)
        print(f"deleted {args.id}")
    return 0
