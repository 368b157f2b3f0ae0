"""Middleware of both benchmark servers (the API's and the limit's): each
response says how many SQL queries it ran and the worker's peak RSS so far.

A top-level module (bench/serving is put on the servers' path), so that an
API served from another checkout, with its own ``bench`` package, loads it too."""

from __future__ import annotations

import resource

from django.db import connections

QUERIES = "X-Bench-Queries"
PEAK_RSS_KB = "X-Bench-Peak-Rss-Kb"


def measure(get_response):
    def middleware(request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connections[alias].execute_wrapper(counting) for alias in connections]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response[QUERIES] = str(count)
        response[PEAK_RSS_KB] = str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return response

    return middleware
