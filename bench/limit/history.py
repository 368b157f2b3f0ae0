"""/<resource>/<key>/history/: a record's versions, newest first, each with
what changed against the version before it."""

from __future__ import annotations

from django.db.models import Q

from bench.limit import paging
from bench.limit.http import envelope, not_found
from bench.limit.shapes import moment

TYPES = {"+": "created", "~": "changed", "-": "deleted"}
HIDDEN = {"created_at", "updated_at", "career_position"}
DERIVED_FIELDS = {"FuzzyDateBoundField", "SearchNameField"}  # a date's bounds, a normalised name
ORDER = [paging.Key("history_date", True), paging.Key("history_id", True), paging.Key("id")]


def _shown(model) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in HIDDEN and not DERIVED_FIELDS & {cls.__name__ for cls in type(f).__mro__}
    ]


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _changes(fields, old, new) -> list[dict]:
    out = []
    for field in fields:
        before = None if old is None else getattr(old, field.attname)
        after = getattr(new, field.attname)
        if before != after and not (old is None and after in (None, "")):
            out.append({"field": field.name, "old": _plain(before), "new": _plain(after)})
    return out


def _record_id(live, history, key: str, has_slug: bool) -> int | None:
    found = live.filter(Q(pk=int(key)) if key.isdigit() else Q(slug=key)).values_list("pk", flat=True).first()
    if found is not None or (not key.isdigit() and not has_slug):
        return found
    past = history.filter(Q(id=int(key)) if key.isdigit() else Q(slug=key))
    return past.order_by("-history_date", "-history_id").values_list("id", flat=True).first()


def view_of(live):
    """The history view of the records in the queryset ``live``."""
    model = live.model
    has_slug = any(f.name == "slug" for f in model._meta.concrete_fields)

    def view(request, key: str):
        history = model.history.all()
        if not key.isdigit() and not has_slug:
            return not_found()
        record_id = _record_id(live, history, key, has_slug)
        if record_id is None:
            return not_found()
        versions = history.filter(id=record_id).select_related("history_user")
        page = paging.page(request, versions, ORDER, values_of=lambda v: [getattr(v, k.column) for k in ORDER])
        fields = _shown(model)
        before = None
        if page.rows:
            oldest = page.rows[-1]
            earlier = Q(history_date__lt=oldest.history_date) | Q(
                history_date=oldest.history_date, history_id__lt=oldest.history_id
            )
            before = history.filter(earlier, id=record_id).order_by("-history_date", "-history_id").first()
        chain = [*page.rows, before]
        results = [
            {
                "history_id": v.history_id,
                "date": moment(v.history_date),
                "type": TYPES[v.history_type],
                "user": v.history_user.username if v.history_user_id else None,
                "reason": v.history_change_reason,
                "changes": [] if v.history_type == "-" else _changes(fields, chain[i + 1], v),
            }
            for i, v in enumerate(page.rows)
        ]
        return envelope(request, page, results)

    return view
