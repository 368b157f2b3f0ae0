"""The curation admin: one module per area; importing them registers every model."""

from django.contrib import admin

from records.admin import (
    elections,
    gazetteer,
    governments,
    identifiers,
    identity,
    links,
    merges,
    people,
    postings,
    results,
    sources,
)

admin.site.site_header = "Political records curation"
admin.site.site_title = "Political records"

__all__ = [
    "elections",
    "gazetteer",
    "governments",
    "identifiers",
    "identity",
    "links",
    "merges",
    "people",
    "postings",
    "results",
    "sources",
]
