"""The API's JSON parser: DRF's, with a bound on nesting.

A body that nests a thousand arrays makes the standard parser raise
RecursionError (a 500); one that nests a few hundred parses, then exhausts the
stack in whatever walks it next. No record of the API nests more than a few
levels, so a body deeper than MAX_DEPTH is a 400 that says so."""

from __future__ import annotations

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def depth_exceeds(data, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (iteratively)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        too_deep = f"JSON parse error - the body nests arrays and objects more than {MAX_DEPTH} levels deep."
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(too_deep)
        return data
