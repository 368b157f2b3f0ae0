"""Review state in the admin: a column and a filter on every curated list,
who verified and when shown read-only, and bulk actions to mark records
verified or draft (recorded in each record's history)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from records.curation.baseline import ensure_baselines
from records.curation.review import SELF_VERIFY, may_verify
from records.models import ReviewStatus

REVIEW_ROW = ("review_status", "drafted_by", "verified_by", "verified_at")


def is_reviewed(model) -> bool:
    return any(field.name == "review_status" for field in model._meta.concrete_fields)


class ReviewAdminMixin:
    """For admins of every model with a review state (CitedRecord); a no-op on others."""

    actions = ("mark_verified", "mark_draft")

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        return (*shown, "review_status") if is_reviewed(self.model) else shown

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        return (*filters, "review_status") if is_reviewed(self.model) else filters

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not is_reviewed(self.model):
            return fields
        flat = {name for entry in fields for name in (entry if isinstance(entry, list | tuple) else (entry,))}
        missing = tuple(name for name in REVIEW_ROW if name not in flat)
        return (*[entry for entry in fields if entry not in REVIEW_ROW], missing) if missing else fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, "drafted_by", "verified_by", "verified_at") if is_reviewed(self.model) else readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_reviewed(self.model):
            actions.pop("mark_verified", None)
            actions.pop("mark_draft", None)
        return actions

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not is_reviewed(self.model) or obj is None:
            return form

        class FourEyesForm(form):
            def clean_review_status(self):
                # records/curation/review.py: who drafted a record does not verify it.
                value = self.cleaned_data.get("review_status")
                if value == ReviewStatus.VERIFIED and obj.review_status != value and not may_verify(request.user, obj):
                    raise ValidationError(SELF_VERIFY)
                return value

        return FourEyesForm

    def save_model(self, request, obj, form, change):
        # Verifying on the form records who did it and when.
        verifying = "review_status" in form.changed_data and obj.review_status == ReviewStatus.VERIFIED
        if is_reviewed(self.model) and verifying:
            obj.verified_by, obj.verified_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark selected as verified", permissions=["change"])
    def mark_verified(self, request, queryset):
        # Four eyes: the records this curator drafted stay drafts (records/curation/review.py).
        own = queryset.filter(review_status=ReviewStatus.DRAFT, drafted_by=request.user)
        refused = own.count()
        changed = set_review_status(request, queryset.exclude(pk__in=own.values("pk")), ReviewStatus.VERIFIED)
        already = queryset.count() - changed - refused
        self.message_user(request, f"{changed} marked as verified ({already} already were).")
        if refused:
            message = f"{refused} left as drafts: you drafted them, so another curator must verify them."
            self.message_user(request, message, messages.WARNING)

    @admin.action(description="Mark selected as draft", permissions=["change"])
    def mark_draft(self, request, queryset):
        changed = set_review_status(request, queryset, ReviewStatus.DRAFT)
        self.message_user(
            request, f"{changed} marked as draft ({queryset.count() - changed} already were).", messages.SUCCESS
        )


def set_review_status(request, queryset, status: str) -> int:
    """Sets the status on the records that lack it, in bulk, with one history
    row each (this user, reason "marked as <status>"). Returns how many changed.
    Records already verified keep their verifier."""
    now = timezone.now()
    records = list(queryset.exclude(review_status=status).order_by("pk"))
    for record in records:
        record.review_status = status
        verified = status == ReviewStatus.VERIFIED
        record.verified_by = request.user if verified else None
        record.verified_at = now if verified else None
        record.updated_at = now
    if records:
        ensure_baselines(queryset.model, [record.pk for record in records])
        bulk_update_with_history(
            records,
            queryset.model,
            ["review_status", "verified_by", "verified_at", "updated_at"],
            default_user=request.user,
            default_change_reason=f"marked as {status}",
        )
    return len(records)
