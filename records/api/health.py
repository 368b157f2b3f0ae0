"""GET /api/v1/health/: is this server able to answer from the database?

For load balancers and monitors: never throttled, never cached, no session or
token lookup. One trivial query; 503 with the JSON error body when the
database does not answer.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from records.api.errors import ErrorSerializer

logger = logging.getLogger(__name__)


class DatabaseUnavailable(exceptions.APIException):
    status_code = 503
    default_code = "database_unavailable"
    default_detail = "The database does not answer."


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"ok".')
    database = serializers.CharField(help_text='"ok": a query was answered.')


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        summary="Health check",
        description="200 when the server can query its database, 503 when it cannot. Not throttled, not cached.",
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(ErrorSerializer, description="The database does not answer."),
        },
        auth=[],
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            logger.error("Health check: the database does not answer: %s", exc)
            raise DatabaseUnavailable from None
        return Response({"status": "ok", "database": "ok"})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # also keeps ConditionalGetMiddleware from adding an ETag
        return response
