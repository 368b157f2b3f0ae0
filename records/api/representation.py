"""The JSON forms of fuzzy dates, timestamps and a record's review state, in
one place for both read paths: the serializers (records/api/serializers/) and
the fast path (records/api/fast/), whose output must be identical.

The functions read a record by field name: from a ``.values()`` row directly
(the fast path; no wrapper, no extra call per row), or from a model instance
through ``Attributes`` (the serializers)."""

from __future__ import annotations

from django.utils import timezone


class Attributes:
    """A model instance read like a ``.values()`` row: ``["a__b"]`` is
    ``instance.a.b``, and None when ``instance.a`` is None (as a LEFT JOIN gives it)."""

    __slots__ = ("instance",)

    def __init__(self, instance):
        self.instance = instance

    def __getitem__(self, path: str):
        value = self.instance
        for name in path.split("__"):
            if value is None:
                return None
            value = getattr(value, name)
        return value


def iso(day):
    return day.isoformat() if day else None


def timestamp(moment) -> str | None:
    """As DRF's DateTimeField gives it: in the current time zone, UTC as "Z"."""
    if moment is None:
        return None
    text = timezone.localtime(moment).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def fuzzy(row, name: str, prefix: str = "") -> dict | None:
    """A fuzzy date as {value, earliest, latest}, or None when nothing is known."""
    value = row[f"{prefix}{name}"]
    if not value:
        return None
    return {
        "value": value,
        "earliest": iso(row[f"{prefix}{name}_earliest"]),
        "latest": iso(row[f"{prefix}{name}_latest"]),
    }


def fuzzy_fields(name: str, prefix: str = "") -> tuple[str, str, str]:
    """The ``.values()`` names ``fuzzy`` reads."""
    return (f"{prefix}{name}", f"{prefix}{name}_earliest", f"{prefix}{name}_latest")


# A resource's own review state, last in its representation (nested rows do not carry it).
REVIEW_FIELDS = ["review_status", "verified_by", "verified_at"]
# The ``.values()`` names ``review`` reads.
REVIEW_VALUES = ("review_status", "verified_by__username", "verified_at")


def review(row) -> dict:
    """REVIEW_FIELDS: ``verified_by`` is the curator's username, never more of the account."""
    return {
        "review_status": row["review_status"],
        "verified_by": row["verified_by__username"],
        "verified_at": timestamp(row["verified_at"]),
    }
