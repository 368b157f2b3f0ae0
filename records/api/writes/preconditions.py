"""Optimistic concurrency: an update or delete names the version it is based
on (``If-Match`` with the ETag a GET gave), and is refused with 412 when the
record has changed since. Without ``If-Match`` it is refused with 428, so no
client overwrites another's edit by forgetting it; ``If-Match: *`` says "whatever
the current version" on purpose.

Only the body's part of the ETag is compared (records/api/conditional.py): the
data part changes with any write to the tables the record is read from, and a
change to another record of them is no reason to refuse this one's update."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.http import parse_etags
from rest_framework import exceptions, status

from records.api.conditional import body_part


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = (
        "Send If-Match with the ETag of the version this change is based on (GET the record for it), "
        "or If-Match: * to change whatever version is current."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "The record has changed since the version If-Match names: GET it again, redo the change on it "
        "and send its ETag."
    )


def require_version(request, current_etag: Callable[[], str]) -> None:
    """Raise unless ``If-Match`` names the record's current ETag (or is ``*``).
    ``current_etag`` is only called when there is an ETag to compare."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired()
    etags = parse_etags(header)
    if etags == ["*"]:
        return
    if not etags:
        raise PreconditionFailed('If-Match names no ETag: send it quoted, as the ETag header gives it ("...").')
    if body_part(current_etag()) not in {body_part(etag) for etag in etags}:
        raise PreconditionFailed()
