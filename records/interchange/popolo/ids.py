"""The ``id`` of each Popolo object: the path of its record under the API
(``persons/asim-arun``, ``organisations/bjp``, ``places/kanpur``,
``constituencies/...``, ``elections/up-2017``, ``postings/12``,
``candidacies/34``), so that an id found in a file leads to the record. Posts
have no record of their own (they are read from the roles of postings and
from seats won): ``posts/<organisation>/<area id>/<role>``, ``-`` for what a
post lacks."""

from __future__ import annotations

from django.utils.text import slugify


def person(slug: str) -> str:
    return f"persons/{slug}"


def organisation(slug: str | None) -> str | None:
    return f"organisations/{slug}" if slug else None


def place(slug: str | None) -> str | None:
    return f"places/{slug}" if slug else None


def constituency(slug: str | None) -> str | None:
    return f"constituencies/{slug}" if slug else None


def election(slug: str | None) -> str | None:
    return f"elections/{slug}" if slug else None


def posting(pk: int) -> str:
    return f"postings/{pk}"


def candidacy(pk: int) -> str:
    return f"candidacies/{pk}"


def role_key(role: str) -> str:
    """Spellings of one role that differ only in case or punctuation name one post."""
    return slugify(role, allow_unicode=True) or "-"


def post(organisation_slug: str | None, area_id: str | None, role: str) -> str:
    return f"posts/{organisation_slug or '-'}/{area_id or '-'}/{role_key(role)}"
