"""Logging: to stderr, every line with the request id; JSON lines in
production (one object per line, for log collectors), plain text in debug.

What is logged: every 5xx with its traceback (`django.request`, which Django
writes at ERROR for 5xx and at WARNING for 4xx: only errors are kept, 4xx are
the client's business and the access log has them), the app's own warnings and
errors, and gunicorn's error log (config/gunicorn.conf.py)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, request_id, message,
    and the traceback (`exc_info`) as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "method"):
            entry["method"] = request.method
            entry["path"] = request.get_full_path()
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(*, json_lines: bool, level: str = "INFO") -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "records.request_id.RequestIdFilter"}},
        "formatters": {
            "json": {"()": "config.logging.JsonLinesFormatter"},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "filters": ["request_id"],
                "formatter": "json" if json_lines else "text",
            },
        },
        # One handler, on the root: the loggers below only set what they let through.
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "django": {"level": "INFO"},
            "django.request": {"level": "ERROR"},
            "records": {"level": level},
        },
    }
