"""Checking a Popolo document against Popolo's own JSON Schemas (draft-03,
../shared/data/popolo-schemas/, see its SOURCE.md), resolved from local files
only: their absolute ``$ref``s (http://www.popoloproject.com/schemas/*.json#)
are registered to the files, and nothing is ever fetched.

Besides the schemas, every ``*_id`` of an object must name an object of the
document (a ``post_id`` a post, an ``organization_id`` an organization...),
and each link's ``url`` must be an absolute URI (the schemas say
``format: uri``, which jsonschema checks only with an optional package)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
SECTION_SCHEMAS = {
    "persons": "person.json",
    "organizations": "organization.json",
    "memberships": "membership.json",
    "posts": "post.json",
    "areas": "area.json",
    "events": "event.json",
}
# Which section each reference names.
REFERENCES = {
    "person_id": "persons",
    "organization_id": "organizations",
    "on_behalf_of_id": "organizations",
    "post_id": "posts",
    "area_id": "areas",
    "election_id": "events",
}
PARENT_SECTIONS = ("organizations", "areas", "events")
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def default_schema_dir() -> Path:
    return settings.BASE_DIR.parent / "shared" / "data" / "popolo-schemas" / "schemas"


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft3Validator.FORMAT_CHECKER.checkers)  # draft-03's, plus uri
    checker.checks("uri")(lambda value: not isinstance(value, str) or bool(URI.match(value)))
    return checker


def validators(schema_dir: Path | None = None) -> dict[str, Draft3Validator]:
    """A draft-03 validator per section, its references resolved from ``schema_dir``."""
    schema_dir = schema_dir or default_schema_dir()
    schemas = {path.name: json.loads(path.read_text()) for path in sorted(schema_dir.glob("*.json"))}
    missing = sorted(set(SECTION_SCHEMAS.values()) - set(schemas))
    if missing:
        raise FileNotFoundError(f"no Popolo schema {', '.join(missing)} in {schema_dir}")
    registry = Registry().with_resources(
        (f"{SCHEMA_BASE}{name}", Resource.from_contents(schema, default_specification=DRAFT3))
        for name, schema in schemas.items()
    )
    checker = _format_checker()
    return {
        section: Draft3Validator(schemas[name], registry=registry, format_checker=checker)
        for section, name in SECTION_SCHEMAS.items()
    }


@dataclass
class Report:
    files: int = 0
    objects: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SECTION_SCHEMAS, 0))
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.objects.values())

    def summary(self) -> str:
        sections = ", ".join(f"{name} {count:,}" for name, count in self.objects.items())
        return f"files: {self.files}, objects: {self.total:,} ({sections}), errors: {len(self.errors)}"


def validate_document(document: dict, checks: dict[str, Draft3Validator], report: Report, name: str = "") -> Report:
    """Add the document's objects and errors (each naming the file, the object and the problem) to ``report``."""
    report.files += 1
    prefix = f"{name}: " if name else ""
    if not isinstance(document, dict):
        report.errors.append(f"{prefix}the document is not a JSON object")
        return report
    for key in sorted(set(document) - set(SECTION_SCHEMAS)):
        report.errors.append(f"{prefix}{key!r} is not a Popolo section ({', '.join(SECTION_SCHEMAS)})")
    known = {section: _ids(document.get(section)) for section in checks}
    for section, validator in checks.items():
        objects = document.get(section, [])
        if not isinstance(objects, list):
            report.errors.append(f"{prefix}{section} is not an array")
            continue
        report.objects[section] += len(objects)
        for index, obj in enumerate(objects):
            where = f"{prefix}{section}[{index}]" + (f" {obj.get('id')}" if isinstance(obj, dict) else "")
            for error in validator.iter_errors(obj):
                path = "".join(f"[{part!r}]" for part in error.absolute_path)
                report.errors.append(f"{where}{path}: {error.message}")
            if isinstance(obj, dict):
                report.errors += _dangling(obj, section, known, where)
    return report


def _ids(objects) -> set:
    if not isinstance(objects, list):
        return set()
    return {obj.get("id") for obj in objects if isinstance(obj, dict)}


def _dangling(obj: dict, section: str, known: dict[str, set], where: str) -> list[str]:
    out = []
    references = dict(REFERENCES)
    if section in PARENT_SECTIONS:
        references["parent_id"] = section
    for key, target in references.items():
        value = obj.get(key)
        if value is not None and value not in known[target]:
            out.append(f"{where}: {key} {value!r} names no object of {target}")
    return out


def validate_files(paths: list[Path], schema_dir: Path | None = None) -> Report:
    checks, report = validators(schema_dir), Report()
    for path in paths:
        try:
            document = json.loads(Path(path).read_bytes())
        except ValueError as exc:
            report.files += 1
            report.errors.append(f"{path}: not JSON ({exc})")
            continue
        validate_document(document, checks, report, str(path))
    return report
