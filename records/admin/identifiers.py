"""Identifiers of organisations (parties), places and constituencies in other
databases: an inline on each record's page, and a page of each kind, where
an identifier's citations are kept. The scheme and value are checked against
the registry (records/identifiers.py) by the model's clean()."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import RecordAdmin, RecordInline
from records.admin.citations import CitationInline
from records.identifiers import documented
from records.models import ConstituencyIdentifier, OrganisationIdentifier, PlaceIdentifier


def identifier_inline(identifier_model) -> type[RecordInline]:
    kind = identifier_model.identifies
    return type(
        f"{identifier_model.__name__}Inline",
        (RecordInline,),
        {
            "model": identifier_model,
            "fields": ("scheme", "value"),
            "verbose_name_plural": f"identifiers (schemes: {documented(kind)})",
        },
    )


OrganisationIdentifierInline = identifier_inline(OrganisationIdentifier)
PlaceIdentifierInline = identifier_inline(PlaceIdentifier)
ConstituencyIdentifierInline = identifier_inline(ConstituencyIdentifier)


def identifier_admin(kind: str) -> dict:
    """What an identifier's page shows, for identifiers of ``kind`` (its foreign key)."""
    return {
        "list_display": (kind, "scheme", "value"),
        "list_select_related": (kind,),
        "list_filter": ("scheme",),
        "search_fields": ("value", "scheme", f"{kind}__name"),
        "search_help_text": f"The identifier, its scheme, or the {kind}'s name.",
        "autocomplete_fields": (kind,),
        "fields": (kind, "scheme", "value"),
        "inlines": (CitationInline,),
    }


for identifier_model in (OrganisationIdentifier, PlaceIdentifier, ConstituencyIdentifier):
    admin.site.register(
        identifier_model,
        type(f"{identifier_model.__name__}Admin", (RecordAdmin,), identifier_admin(identifier_model.identifies)),
    )
