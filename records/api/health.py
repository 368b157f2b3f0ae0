"""GET /api/v1/health/: is this server able to answer from the database?

For load balancers and monitors: never throttled, never cached, no session or
token lookup. It reads a row of a real table (a `SELECT 1` answers even when
the database file cannot be read) of each database, the primary and every
read replica, and says what it read and how long that took, and how far each
replica is behind; 503 with the JSON error body when the primary does not
answer. A replica that does not answer leaves the server healthy (its reads
go to the primary): 200 with `"database": "degraded"`. Databases are named by
their alias only: never a host, user or password.
"""

from __future__ import annotations

import logging
import time

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
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


# Seconds a replica is behind: 0 when it has replayed all it received, else the age of the last
# transaction it replayed. NULL on a server that is not a replica.
REPLICA_LAG_SQL = """
    SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL
                WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


class DatabaseCheckSerializer(serializers.Serializer):
    alias = serializers.CharField(
        help_text='The database\'s name in the settings: "default" (the primary), "replica_1", "replica_2"...'
    )
    role = serializers.ChoiceField(
        choices=["primary", "replica"],
        help_text='"primary" takes the writes; a "replica" (DATABASE_REPLICA_URLS) takes reads.',
    )
    vendor = serializers.CharField(help_text='"sqlite" or "postgresql".')
    reachable = serializers.BooleanField(help_text="A row of a real table was read.")
    read = serializers.CharField(
        allow_null=True, help_text="The table a row was read from (null when the database did not answer)."
    )
    milliseconds = serializers.FloatField(help_text="How long the check took.")
    lag_seconds = serializers.FloatField(
        allow_null=True,
        help_text=(
            "A replica: how many seconds it is behind the primary (0 when it has replayed everything it "
            "received). Null for the primary, or when unknown."
        ),
    )


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField(help_text='"ok".')
    database = serializers.ChoiceField(
        choices=["ok", "degraded"],
        help_text=(
            '"ok": a row of a real table was read from every database; "degraded": the primary answered but a '
            "replica did not (reads go to the primary meanwhile)."
        ),
    )
    checked = DatabaseCheckSerializer(many=True, help_text="What was read, per database: the primary first.")


class HealthView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="health",
        summary="Health check",
        description=(
            "200 when the server can read a row of a real table of its primary database (and says which, and how "
            "long it took), 503 when it cannot. Each read replica is checked too, with how far it is behind; a "
            'replica that does not answer makes the answer `"database": "degraded"`, still 200, since reads then '
            "go to the primary. Not throttled, not cached."
        ),
        responses={
            200: HealthSerializer,
            503: OpenApiResponse(ErrorSerializer, description="The primary database does not answer."),
        },
        auth=[],
    )
    def get(self, request):
        primary = check(DEFAULT_DB_ALIAS)
        if not primary["reachable"]:
            raise DatabaseUnavailable
        replicas = [check(alias) for alias in connections if alias != DEFAULT_DB_ALIAS]
        database = "ok" if all(replica["reachable"] for replica in replicas) else "degraded"
        return Response({"status": "ok", "database": database, "checked": [primary, *replicas]})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # also keeps ConditionalGetMiddleware from adding an ETag
        return response


def check(alias: str) -> dict:
    """Read a row from database `alias` (never through the router: each database itself)."""
    connection = connections[alias]
    primary = alias == DEFAULT_DB_ALIAS
    started = time.perf_counter()
    lag = None
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {connection.ops.quote_name(CHECKED_TABLE)} ORDER BY id LIMIT 1")
            cursor.fetchone()
            if not primary and connection.vendor == "postgresql":
                cursor.execute(REPLICA_LAG_SQL)
                lag = cursor.fetchone()[0]
    except DatabaseError as exc:
        logger.error("Health check: database %s does not answer: %s", alias, exc)
        reachable = False
    else:
        reachable = True
    return {
        "alias": alias,
        "role": "primary" if primary else "replica",
        "vendor": connection.vendor,
        "reachable": reachable,
        "read": CHECKED_TABLE if reachable else None,
        "milliseconds": round((time.perf_counter() - started) * 1000, 3),
        "lag_seconds": None if lag is None else round(float(lag), 3),
    }
