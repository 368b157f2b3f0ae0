"""A record's citations as Popolo ``sources``: link objects whose ``url`` is
the document's address and whose ``note`` is the quote (a dataset's row
locator where the citation points into a dataset instead of quoting it).

Popolo requires a ``url``. A document that states no address of its own (the
seed articles state none) is linked where its record and verbatim text are
served: ``sources_url`` + its slug (the API's source detail). Without
``sources_url`` (a file written outside a request) it is named by its content,
an RFC 6920 ``ni:`` URI of its sha256, which stays true wherever it is served.
"""

from __future__ import annotations

import base64
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType

from records.knowledge import Knowledge
from records.models import Citation


def document_url(url: str, slug: str, sha256: str, sources_url: str | None) -> str:
    if url:
        return url
    if sources_url:
        return f"{sources_url}{slug}/"
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode().rstrip("=")
    return f"ni:///sha-256;{digest}"


def sources_of(model, ids: list[int], knowledge: Knowledge, sources_url: str | None) -> dict[int, list[dict]]:
    """Each record's links, in citation order, one per distinct (url, note); one
    query. Only the citations of the sources this point of view sees."""
    content_type = ContentType.objects.get_for_model(model)
    citations = (
        Citation.objects.filter(knowledge.citations(), content_type=content_type, object_id__in=ids)
        .order_by("object_id", "id")
        .values_list("object_id", "source__url", "source__slug", "source__sha256", "quote", "locator")
    )
    out: dict[int, list[dict]] = defaultdict(list)
    seen: set[tuple[int, str, str]] = set()
    for object_id, url, slug, sha256, quote, locator in citations:
        link = {"url": document_url(url, slug, sha256, sources_url), "note": quote or locator}
        if (object_id, link["url"], link["note"]) not in seen:
            seen.add((object_id, link["url"], link["note"]))
            out[object_id].append(link)
    return out
