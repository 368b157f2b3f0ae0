"""The API's root: every endpoint, and the latest bulk download when one is published."""

from __future__ import annotations

from django.conf import settings
from rest_framework.routers import APIRootView

from records.interchange.publishing import LATEST_MANIFEST, latest


class RecordsRootView(APIRootView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        downloads = published_downloads(request)
        if downloads:
            response.data["downloads"] = downloads
        return response


def published_downloads(request) -> str | None:
    """The address of the latest release's manifest, where ``publish_exports`` wrote one."""
    folder = settings.RECORDS_EXPORTS_DIR
    if not folder or latest(folder) is None:
        return None
    return request.build_absolute_uri(settings.RECORDS_EXPORTS_URL.rstrip("/") + "/" + LATEST_MANIFEST)
