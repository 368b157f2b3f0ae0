"""Who may write: anyone reads; a write needs an authenticated account with
the model's add, change or delete permission (the curator group has them)."""

from __future__ import annotations

from rest_framework import permissions


class CuratorsWrite(permissions.DjangoModelPermissions):
    """Reads are public. Anonymous writes get 401 (with ``WWW-Authenticate:
    Token``), writes by an account without the model permission 403."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)
