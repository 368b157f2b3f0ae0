"""Per response: how many SQL queries it ran and the worker's peak RSS so far."""

from __future__ import annotations

import resource

from django.db import connection

QUERIES = "X-Bench-Queries"
PEAK_RSS_KB = "X-Bench-Peak-Rss-Kb"


def measure(get_response):
    def middleware(request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = get_response(request)
        response[QUERIES] = str(count)
        response[PEAK_RSS_KB] = str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return response

    return middleware
