"""Templates: a stored composition whose strings hold `{{name}}` merge fields, and the jobs
made from it (merge values, per-element modifications, output overrides).

One module for the API, the requests topic and the CLI, so a template renders the same
everywhere. A template document is

    {"name": "greeting",                                   # optional, for people
     "composition": {"output": {...}, "elements": [...]},  # a job's composition
     "merge_fields": {"name": {"default": "Ana", "description": "who is greeted"}}}

A field used in the composition but not declared is required; a declared one without a
`default` is required too. A string that is exactly one placeholder (`"{{opacity}}"`) takes
the value as it is (a number stays a number); inside longer text the value is inserted as
text. A job from a template is

    {"template": "ID" | "ID@version", "merge": {"name": "Ana"},
     "modifications": {"title.text": "Hi", "photo.opacity": 0.8},
     "output": {"format": "webm"},   # optional: replaces these output fields of the template
     "response": ..., "callback_url": ..., "idempotency_key": ..., "metadata": ...}

A modification `ID.property` (or `ID.property.field` inside an object property) replaces
that property of the element with that `id`; `null` removes it (back to its default). The
merged composition is then validated as any job, and each problem is reported where the
request can fix it: `merge.name` (with the place in the template it landed:
`template elements[1].text`), `modifications["photo.opacity"]`, `output.format`; what
comes from the template alone is `template.<path>`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args
from uuid import UUID

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from shared.composition import parse_job
from shared.composition.errors import (
    Problem,
    SpecError,
    format_path,
    problems_from_validation,
    suggest,
)
from shared.composition.spec import Element, Job

__all__ = [
    "JOB_FIELDS",
    "Expansion",
    "MergeField",
    "MergeValue",
    "TemplateDocument",
    "TemplateJob",
    "TemplateRef",
    "apply_template",
    "check_template",
    "expand",
    "is_template_job",
    "parse_ref",
    "placeholders",
    "request_problems",
    "split_row",
]

MergeValue = StrictStr | StrictInt | StrictFloat | StrictBool
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# no named groups: the pattern is also the OpenAPI schema's (ECMA regex)
_REF = re.compile(r"^([0-9A-Fa-f-]{32,36})(@[1-9][0-9]{0,8})?$")
#: Delivery options of a request: they belong to the job, never to a template.
JOB_FIELDS = ("response", "callback_url", "idempotency_key", "metadata")
_REQUEST_FIELDS = ("template", "merge", "modifications", "output", *JOB_FIELDS)
_FIXED = ("id", "type")  # what identifies an element: no merge field, no modification
Loc = tuple[str | int, ...]


class MergeField(BaseModel):
    """A declared merge field: its default (none: the job must give it) and what it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: MergeValue | None = None
    description: str | None = Field(None, max_length=1000)

    @field_validator("default", mode="before")
    @classmethod
    def _scalar(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, str | int | float | bool):
            raise ValueError("must be a string, number or boolean")
        return value

    @property
    def required(self) -> bool:
        return self.default is None


_REQUIRED = MergeField()


@dataclass(frozen=True)
class _Index:
    used: dict[str, list[Loc]]  # each field used, and where
    holders: frozenset[Loc]  # the locs at or above a field (the containers a merge copies)
    fields: dict[str, MergeField]  # declared and used-but-undeclared (required) fields


class TemplateDocument(BaseModel):
    """What `POST /v1/templates` (and each new version) takes, and a template file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, min_length=1, max_length=200)
    composition: dict[str, Any] = Field(
        description="a job's composition (output, elements, ...) whose strings may hold "
                    "{{name}} merge fields")
    merge_fields: dict[str, MergeField] = Field(
        default_factory=dict,
        description="declared merge fields; a field used but not declared is required")
    # what every job made from it needs, found once: a stored version is immutable, and
    # walking the composition for each job cost as much as validating the job. Set on
    # construction, so equal documents stay equal.
    _index: _Index = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        used = placeholders(self.composition)
        self._index = _Index(
            used=used,
            holders=frozenset(loc[:depth] for locs in used.values() for loc in locs
                              for depth in range(len(loc) + 1)),
            fields={**dict.fromkeys(used, _REQUIRED), **self.merge_fields})

    def index(self) -> _Index:
        """Where its merge fields are, and which (do not modify)."""
        return self._index

    def used(self) -> dict[str, list[Loc]]:
        """Each merge field name used in the composition, and where (do not modify)."""
        return self._index.used

    def fields(self) -> dict[str, MergeField]:
        """Every merge field: the declared ones, and the used-but-undeclared (required)."""
        return dict(self._index.fields)


class TemplateJob(BaseModel):
    """A job made from a stored template (the alternative body of `POST /v1/jobs`)."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(pattern=_REF.pattern, description="the template's id, or id@version")
    merge: dict[str, MergeValue] = Field(default_factory=dict,
                                         description="values of the template's merge fields")
    modifications: dict[str, Any] = Field(
        default_factory=dict,
        description='"element-id.property": value; replaces that property (null: removes it)')
    output: dict[str, Any] | None = Field(
        None, description="output fields that replace the template's (format, size, ...)")
    response: Literal["immediate", "async", "auto"] = "auto"
    callback_url: Annotated[str, Field(pattern=r"^https?://", max_length=2048)] | None = None
    idempotency_key: str | None = Field(None, min_length=1, max_length=255)
    metadata: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class TemplateRef:
    id: UUID
    version: int | None  # None: the latest

    def __str__(self) -> str:
        return f"{self.id}@{self.version}" if self.version else str(self.id)


def is_template_job(data: Any) -> bool:
    """Does this request name a template (rather than carry its own composition)?"""
    return isinstance(data, dict) and "template" in data


def parse_ref(value: Any) -> TemplateRef:
    """`"ID"` or `"ID@version"`; raises SpecError at `template`."""
    match = _REF.match(value) if isinstance(value, str) else None
    if match is not None:
        try:
            return TemplateRef(UUID(match[1]), int(match[2][1:]) if match[2] else None)
        except ValueError:
            pass
    raise SpecError([Problem("template", "must be a template id, or id@version "
                                         "(e.g. 3f1c...@2)")])


# --- placeholders ---------------------------------------------------------------------------

def _strings(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def placeholders(composition: Any) -> dict[str, list[Loc]]:
    """Each well-formed merge field name used in the composition, and where."""
    found: dict[str, list[Loc]] = {}
    for loc, text in _strings(composition):
        for match in PLACEHOLDER.finditer(text):
            if NAME.match(match[1]):
                found.setdefault(match[1], []).append(loc)
    return found


def _placeholder_problems(composition: dict[str, Any]) -> list[Problem]:
    problems = []
    for loc, text in _strings(composition):
        path = "composition." + format_path(loc)
        names = [match[1] for match in PLACEHOLDER.finditer(text)]
        for name in names:
            if not NAME.match(name):
                problems.append(Problem(path, f"{{{{{name}}}}} is not a merge field: a name is "
                                              "a letter or _, then letters, digits or _"))
        fixed = len(loc) == 3 and loc[0] == "elements" and loc[2] in _FIXED
        if names and fixed:
            problems.append(Problem(path, f"an element's {loc[2]} cannot hold a merge field"))
    return problems


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class _Merged:
    """Where each merged value landed: the composition's loc → the fields in it."""

    used: dict[Loc, list[str]] = field(default_factory=dict)


def _substitute(value: Any, values: dict[str, Any], loc: Loc, merged: _Merged,
                holders: frozenset[Loc] | None = None) -> Any:
    """`value` with the merge fields in `values` replaced. Given `holders` (the locs at or
    above a merge field), only those containers are copied: the rest is shared with the
    template, so whoever changes the result copies what it changes (`_modify`)."""
    if holders is not None and loc not in holders:
        return value
    if isinstance(value, dict):
        return {key: _substitute(item, values, (*loc, key), merged, holders)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, values, (*loc, i), merged, holders)
                for i, item in enumerate(value)]
    if not isinstance(value, str) or "{{" not in value:
        return value
    names = [match[1] for match in PLACEHOLDER.finditer(value) if match[1] in values]
    if not names:
        return value
    merged.used[loc] = names
    whole = PLACEHOLDER.fullmatch(value)
    if whole is not None and whole[1] in values:
        return values[whole[1]]
    return PLACEHOLDER.sub(
        lambda match: _text(values[match[1]]) if match[1] in values else match[0], value)


# --- the template itself ----------------------------------------------------------------------

def check_template(data: Any) -> TemplateDocument:
    """Validate a template document; raises SpecError (paths like
    `composition.elements[1].text`, `merge_fields.name.default`)."""
    if not isinstance(data, dict):
        raise SpecError([Problem("$", "a template must be a JSON object")])
    try:
        document = TemplateDocument.model_validate(data)
    except ValidationError as exc:
        raise SpecError([_with_hint(problem) for problem in
                         problems_from_validation(exc, model=TemplateDocument)]) from None
    composition = document.composition
    problems = [Problem(f"composition.{name}", "belongs to the job request, not the template")
                for name in JOB_FIELDS[:3] if name in composition]
    problems += _placeholder_problems(composition)
    used = placeholders(composition)
    for name in document.merge_fields:
        if not NAME.match(name):
            problems.append(Problem(f"merge_fields.{name}",
                                    "a name is a letter or _, then letters, digits or _"))
        elif name not in used:
            problems.append(Problem(f"merge_fields.{name}", "is not used in the composition"))
    if problems:
        raise SpecError(problems)
    problems = _composition_problems(document)
    if problems:
        raise SpecError(problems)
    return document


def _with_hint(problem: Problem) -> Problem:
    """An unknown key of a merge field declaration suggests the known one."""
    parts = problem.path.split(".")
    if len(parts) == 3 and parts[0] == "merge_fields" and problem.message.endswith("field"):
        guess = suggest(parts[2], MergeField.model_fields)
        if guess:
            return Problem(problem.path, f'{problem.message}; did you mean "{guess}"?')
    return problem


def _composition_problems(document: TemplateDocument) -> list[Problem]:
    """The composition validated as a job with the defaults merged in. What still holds a
    placeholder is only known once a job gives its value, so problems there wait."""
    defaults = {name: spec.default for name, spec in document.merge_fields.items()
                if spec.default is not None}
    merged = _Merged()
    data = _substitute(document.composition, defaults, (), merged)
    pending = [format_path(loc) for loc, text in _strings(data) if PLACEHOLDER.search(text)]
    try:
        parse_job(data)
    except SpecError as exc:
        problems = []
        for problem in exc.problems:
            if any(_under(problem.path, path) for path in pending):
                continue
            origin = _origin(problem.path, {format_path(loc): names
                                            for loc, names in merged.used.items()})
            if origin is None:
                problems.append(Problem(f"composition.{_rooted(problem.path)}", problem.message))
            else:
                path, names, rest = origin
                problems += [Problem(f"merge_fields.{name}.default",
                                     f"{problem.message} (composition.{path}{rest})")
                             for name in names]
        return problems
    return []


def _rooted(path: str) -> str:
    return "" if path == "$" else path


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((prefix + ".", prefix + "["))


def _origin(path: str, entries: dict[str, list[str]]) -> tuple[str, list[str], str] | None:
    """The longest entry `path` is at or under: (entry, its value, the rest of `path`)."""
    best = max((entry for entry in entries if _under(path, entry)), key=len, default=None)
    return None if best is None else (best, entries[best], path[len(best):])


# --- a job from a template --------------------------------------------------------------------

def _element_models() -> dict[str, type[BaseModel]]:
    """Each element type's model, by its `type` tag (whatever spec.py defines)."""
    models: dict[str, type[BaseModel]] = {}
    for member in get_args(get_args(Element)[0]):
        for tag in get_args(member.model_fields["type"].annotation):
            models[tag] = member
    return models


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def modification_path(key: str) -> str:
    return f'modifications["{key}"]'


@dataclass(frozen=True)
class _Target:
    key: str
    index: int
    props: tuple[str, ...]
    value: Any


def _target(key: str, value: Any, elements: list[Any]) -> _Target | Problem:
    """Which element and property a modification key names, or why it names none."""
    path = modification_path(key)
    ids: dict[str, int] = {element["id"]: index for index, element in enumerate(elements)
                           if isinstance(element, dict) and isinstance(element.get("id"), str)}
    owners = [ident for ident in ids if key.startswith(f"{ident}.")]
    if not owners:
        head = key.split(".", 1)[0]
        guess = suggest(head, ids)
        hint = f'; did you mean "{guess}"?' if guess else ""
        known = ", ".join(f'"{ident}"' for ident in ids) or "none"
        if "." not in key:
            return Problem(path, 'must be "element-id.property" (e.g. "title.text")')
        return Problem(path, f'no element has the id "{head}" (ids: {known}){hint}')
    ident = max(owners, key=len)
    index = ids[ident]
    props = tuple(key[len(ident) + 1:].split("."))
    element = elements[index]
    problem = _property_problem(element.get("type"), ident, props)
    return Problem(path, problem) if problem else _Target(key, index, props, value)


def _property_problem(kind: Any, ident: str, props: tuple[str, ...]) -> str | None:
    model = _element_models().get(kind) if isinstance(kind, str) else None
    if model is None:
        return None  # not a known element type: the job's validation names it
    if props[0] in _FIXED:
        return f"an element's {props[0]} cannot be modified"
    for depth, prop in enumerate(props):
        if not prop:
            return "names an empty property"
        if prop not in model.model_fields:
            owner = f'the {kind} element "{ident}"' if depth == 0 else ".".join(props[:depth])
            guess = suggest(prop, [name for name in model.model_fields if name not in _FIXED])
            hint = f'; did you mean "{guess}"?' if guess else ""
            return f'{owner} has no property "{prop}"{hint}'
        inner = _models_in(model.model_fields[prop].annotation)
        if depth + 1 < len(props) and len(inner) != 1:
            return f'"{".".join(props[:depth + 1])}" is not an object with fields'
        model = inner[0] if inner else model
    return None


def request_problems(data: dict[str, Any]) -> list[Problem]:
    """The shape of a job-from-template request: known fields, and objects where needed."""
    problems = []
    for key in data:
        if key in _REQUEST_FIELDS:
            continue
        if key == "elements":
            message = ("come from the template; change an element with modifications "
                       '("element-id.property": value)')
        else:
            guess = suggest(key, _REQUEST_FIELDS)
            message = "is not a known field of a job from a template" + (
                f'; did you mean "{guess}"?' if guess else "")
        problems.append(Problem(str(key), message))
    for key in ("merge", "modifications", "output"):
        if key in data and not isinstance(data[key], dict | None):
            problems.append(Problem(key, "must be an object"))
    for name, value in (data.get("merge") or {}).items() if isinstance(
            data.get("merge"), dict) else ():
        if not isinstance(value, str | int | float | bool):
            problems.append(Problem(f"merge.{name}", "must be a string, number or boolean"))
    return problems


def _merge_values(document: TemplateDocument, merge: dict[str, Any]) -> tuple[
        dict[str, Any], list[Problem]]:
    index = document.index()
    fields, used = index.fields, index.used
    problems = []
    for name in merge:
        if name not in fields:
            guess = suggest(name, fields)
            known = ", ".join(fields) or "none"
            problems.append(Problem(f"merge.{name}", "is not a merge field of this template "
                                    f"(fields: {known})" + (f'; did you mean "{guess}"?'
                                                            if guess else "")))
    values: dict[str, Any] = {}
    for name, spec in fields.items():
        if name in merge:
            values[name] = merge[name]
        elif spec.default is not None:
            values[name] = spec.default
        else:
            where = ", ".join(format_path(loc) for loc in used.get(name, [])[:3])
            problems.append(Problem(f"merge.{name}", f"is required (used at template {where})"))
    return values, problems


def _modify(data: dict[str, Any], target: _Target) -> None:
    """Apply one modification, copying what it changes (the rest is the template's)."""
    data["elements"] = elements = list(data["elements"])
    elements[target.index] = element = dict(elements[target.index])
    *parents, last = target.props
    for prop in parents:
        inner = element.get(prop)
        element[prop] = inner = dict(inner) if isinstance(inner, dict) else {}
        element = inner
    if target.value is None:
        element.pop(last, None)
    else:
        element[last] = copy.deepcopy(target.value)


@dataclass(frozen=True)
class Expansion:
    """The job a template request makes, and how to name a problem of it in the request."""

    data: dict[str, Any]
    origins: dict[str, tuple[str, str, bool]]  # merged path → (request path, template
    # path where a merge value landed, whether it was the field's default)

    def locate(self, problem: Problem) -> Problem:
        """A problem of the merged job, named where the request (or template) can fix it."""
        found = max((path for path in self.origins if _under(problem.path, path)), key=len,
                    default=None)
        if found is None:
            return Problem(f"template.{_rooted(problem.path)}".rstrip("."), problem.message)
        where, landed, default = self.origins[found]
        rest = problem.path[len(found):]
        if landed:
            note = f"template {landed}{rest}" + (", from its default" if default else "")
            return Problem(where, f"{problem.message} ({note})")
        return Problem(f"{where}{rest}", problem.message)


def expand(document: TemplateDocument, request: dict[str, Any]) -> Expansion:
    """The merged job data of a request (shape checked first). Raises SpecError with the
    request's paths for what is wrong before validation: unknown or missing merge fields,
    modifications of unknown elements or properties."""
    problems = request_problems(request)
    if problems:
        raise SpecError(problems)
    merge = request.get("merge") or {}
    values, problems = _merge_values(document, merge)
    elements = document.composition.get("elements")
    elements = elements if isinstance(elements, list) else []
    targets = []
    for key, value in (request.get("modifications") or {}).items():
        target = _target(str(key), value, elements)
        if isinstance(target, Problem):
            problems.append(target)
        else:
            targets.append(target)
    if problems:
        raise SpecError(problems)
    merged = _Merged()
    data: dict[str, Any] = dict(_substitute(document.composition, values, (), merged,
                                            document.index().holders))
    origins: dict[str, tuple[str, str, bool]] = {}
    for at, names in merged.used.items():
        given = [name for name in names if name in merge] or names
        origins[format_path(at)] = (f"merge.{given[0]}", format_path(at), given[0] not in merge)
    for target in targets:
        _modify(data, target)
        where = format_path(("elements", target.index, *target.props))
        origins[where] = (modification_path(target.key), "", False)
    overrides = request.get("output") or {}
    if overrides:
        base = data.get("output")
        data["output"] = {**(base if isinstance(base, dict) else {}), **overrides}
        origins.update({f"output.{name}": (f"output.{name}", "", False)
                        for name in overrides})
    for name in JOB_FIELDS:
        if name in request:
            data[name] = request[name]
            origins[name] = (name, "", False)
    return Expansion(data, origins)


def apply_template(document: TemplateDocument, request: dict[str, Any],
                   limits: Callable[[Job], list[Problem]] | None = None) -> Job:
    """The validated job a template request makes; raises SpecError naming every problem
    by its place in the request (`merge.name`, `modifications["title.text"]`) or, for what
    the template alone decides, `template.<path>`."""
    expansion = expand(document, request)
    try:
        job = parse_job(expansion.data)
    except SpecError as exc:
        raise SpecError(list(dict.fromkeys(
            expansion.locate(problem) for problem in exc.problems))) from None
    problems = limits(job) if limits else []
    if problems:
        raise SpecError([expansion.locate(problem) for problem in problems])
    return job


def split_row(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A flat row (a CSV line, a `--data` file) as (merge values, modifications): a key
    with a dot (`title.text`) is a modification, since a merge field name has none; an
    empty value is left out, so the template's own value stays."""
    merge: dict[str, Any] = {}
    modifications: dict[str, Any] = {}
    for key, value in row.items():
        if not key or value is None or value == "":
            continue
        name = str(key).strip()
        (modifications if "." in name else merge)[name] = value
    return merge, modifications
