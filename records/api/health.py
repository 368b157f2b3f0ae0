"""GET /api/v1/health/: is this server able to answer from the database?

For load balancers and monitors: never throttled, never cached, no session or
token lookup. It reads a row of a real table (a `SELECT 1` answers even when
the database file cannot be read) and says what it read and how long that
took; 503 with the JSON error body when the database does not answer.
"""

from __future__ import annotations

import logging
import time

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


# A table every request for data reads, migrated with the app.
CHECKED_TABLE = "records_source"


class DatabaseCheckSerializer(serializers.Serializer):
    alias = serializers.CharField(help_text='The database\'s name in the settings ("default").')
    vendor = serializers.CharField(help_text='"sqlite" or "postgresql".')
    read = serializers.CharField(help_text="The table a row was read from.")
    milliseconds = serializers.FloatField(help_text="How long the read took.")


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"ok".')
    database = serializers.CharField(help_text='"ok": a row of a real table was read.')
    checked = DatabaseCheckSerializer(many=True, help_text="What was read, per database.")


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        summary="Health check",
        description=(
            "200 when the server can read a row of a real table of its database (and says which, and how long "
            "it took), 503 when it cannot. Not throttled, not cached."
        ),
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(ErrorSerializer, description="The database does not answer."),
        },
        auth=[],
    )
    def get(self, request):
        started = time.perf_counter()
        try:
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(CHECKED_TABLE)
                cursor.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1")
                cursor.fetchone()
        except DatabaseError as exc:
            logger.error("Health check: the database does not answer: %s", exc)
            raise DatabaseUnavailable from None
        check = {
            "alias": connection.alias,
            "vendor": connection.vendor,
            "read": CHECKED_TABLE,
            "milliseconds": round((time.perf_counter() - started) * 1000, 3),
        }
        return Response({"status": "ok", "database": "ok", "checked": [check]})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # also keeps ConditionalGetMiddleware from adding an ETag
        return response
