"""Claim links: a later claim that confirms, supersedes, fulfils, contradicts
or retracts an earlier one (records/models/links.py), each cited."""

from __future__ import annotations

from django.contrib import admin

from records.admin.base import RecordAdmin
from records.admin.citations import CitationInline
from records.models import ClaimLink


@admin.register(ClaimLink)
class ClaimLinkAdmin(RecordAdmin):
    list_display = ("__str__", "kind", "claim", "target")
    list_select_related = ("claim_type", "target_type")
    list_filter = ("kind", "claim_type", "target_type")
    search_help_text = "A claim's id."
    search_fields = ("=claim_id", "=target_id")
    fields = (("claim_type", "claim_id"), "kind", ("target_type", "target_id"))
    inlines = (CitationInline,)
