"""Create, update and delete on a read viewset, for curators.

Every write answers with the record as a GET of it would (the same queryset,
serializer and renderer; so the same body and ETag), and an update or delete
first locks the row and checks ``If-Match`` against the record's current ETag
(records.api.writes.preconditions)."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404
from django.utils.cache import set_response_etag
from rest_framework import status
from rest_framework.response import Response

from records.api import conditional
from records.api.errors import Conflict
from records.api.writes.permissions import CuratorsWrite
from records.api.writes.preconditions import require_version

WRITE_ACTIONS = {"create", "update", "partial_update", "destroy"}


class RecordWritesMixin:
    """Mix in before the read viewset; set ``write_serializer_class``."""

    permission_classes = [CuratorsWrite]
    write_serializer_class = None

    def get_serializer_class(self):
        # OPTIONS describes the POST and PUT bodies with the serializer of the request it imitates.
        describing_a_write = self.action == "metadata" and self.request.method in ("POST", "PUT")
        if self.action in WRITE_ACTIONS or describing_a_write:
            return self.write_serializer_class
        return super().get_serializer_class()

    def locked_record(self):
        """The bare row the URL names, locked until the write commits: no
        other write lands between the If-Match check and the save."""
        record = get_object_or_404(self.queryset.all().select_for_update(), self.lookup())
        self.check_object_permissions(self.request, record)
        return record

    def create(self, request, *args, **kwargs):
        with transaction.atomic(), conflicts_as_409():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            record = serializer.save()
            # Read back inside the transaction: the body and ETag are this write's,
            # not a later one's that landed after the commit.
            response = self.read_back(record.pk)
        response.status_code = status.HTTP_201_CREATED
        response["Location"] = self.reverse_action("detail", kwargs={self.lookup_field: record.pk})
        return response

    def update(self, request, *args, **kwargs):
        with transaction.atomic(), conflicts_as_409():
            record = self.locked_record()
            require_version(request, lambda: self.read_back(record.pk)["ETag"])
            serializer = self.get_serializer(record, data=request.data, partial=kwargs.get("partial", False))
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return self.read_back(record.pk)  # under the lock: this write's version

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic(), conflicts_as_409():
            record = self.locked_record()
            require_version(request, lambda: self.read_back(record.pk)["ETag"])
            record.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def read_back(self, pk):
        """The record's GET response, rendered, with the ETag a GET of its URL
        by this requester would carry (this write's versions: its bumps are
        in, and no other writer's to the same tables can land before it commits)."""
        saved = self.action, self.kwargs
        self.action, self.kwargs = "retrieve", {**self.kwargs, self.lookup_field: str(pk)}
        try:
            # An update's URL is the record's; a create's is the list's, its record's is the new one.
            url = urlsplit(self.reverse_action("detail", kwargs={self.lookup_field: pk})).path
            self.validators = conditional.validators_for(
                self.request,
                self.answer_tables("retrieve"),
                self.request.accepted_media_type,
                path=url if self.action == "create" else None,
            )
            response = self.finalize_response(self.request, self.retrieve(self.request, **self.kwargs))
            response.render()
        finally:
            self.action, self.kwargs = saved
            self.validators = None
        if not response.has_header("ETag"):
            set_response_etag(response)  # as ConditionalGetMiddleware does for a GET
        return response


@contextmanager
def conflicts_as_409():
    """A delete the database's PROTECT refuses, or a save that loses a race
    for a unique value, is a 409 that says why, not a 500."""
    try:
        yield
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(f"Cannot delete it: {referrers(exc)} refer to it; change or delete them first.") from exc
    except IntegrityError as exc:
        raise Conflict("Another change to the same records came first; GET them again and retry.") from exc


def referrers(exc: ProtectedError | RestrictedError) -> str:
    objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
    counts = Counter(type(obj)._meta for obj in objects)
    return ", ".join(
        f"{n} {opts.verbose_name if n == 1 else opts.verbose_name_plural}"
        for opts, n in sorted(counts.items(), key=lambda item: str(item[0].verbose_name))
    )
