"""Roles: the "curator" group, whose members keep the records.

Curators add, change, delete and view every record (people, postings,
sources, citations, merges...) and view, never edit, the history tables.
They get no permission on API tokens: the token admin lets its user pick any
account, so a curator could mint a token for a superuser. A curator's own
token comes from `manage.py create_curator --token`."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

CURATOR_GROUP = "curator"
RECORD_ACTIONS = ("add", "change", "delete", "view")
# Merging two people (and undoing it) changes one person and deletes the other.
MERGE_PERMISSIONS = ("records.change_person", "records.delete_person")


def curator_permissions():
    """Every permission the curator group holds: full rights on the records
    models, view only on their history."""
    records = Permission.objects.filter(content_type__app_label="records").select_related("content_type")
    wanted = []
    for permission in records:
        action = permission.codename.split("_", 1)[0]
        if permission.content_type.model.startswith("historical"):
            if action == "view":
                wanted.append(permission)
        elif action in RECORD_ACTIONS:
            wanted.append(permission)
    return wanted


def ensure_curator_group() -> Group:
    """Create the curator group, or bring its permissions up to date (exactly
    those of curator_permissions()); idempotent."""
    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    wanted = curator_permissions()
    if {p.pk for p in wanted} != set(group.permissions.values_list("pk", flat=True)):
        group.permissions.set(wanted)
    return group


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate handler: the records permissions exist only once
    django.contrib.auth has created them for this migration run."""
    ensure_curator_group()
