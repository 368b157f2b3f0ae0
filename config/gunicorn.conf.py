"""gunicorn settings for the production command (scripts/serve-prod.sh).

Environment:
    GUNICORN_BIND     address:port to listen on (default: 127.0.0.1:8000)
    GUNICORN_WORKERS  worker processes (default: 2 x the cores this process may use + 1)
    GUNICORN_TIMEOUT  seconds a worker may spend on one request before it is restarted (default: 30)
"""

import os

from config.env import env_int, env_str

bind = [env_str("GUNICORN_BIND", "127.0.0.1:8000")]


def reachable_only_through_a_proxy(address: str) -> bool:
    """A Unix socket or a loopback address: no client can reach it but through
    a proxy on this machine."""
    if address.startswith("unix:"):
        return True
    host = address.rsplit(":", 1)[0].strip("[]") if ":" in address else address
    return host in ("localhost", "::1") or host.startswith("127.")


# With trusted proxies, the client's address is read from X-Forwarded-For
# (records/client_ip.py). Reached directly, a client would write that header
# itself: to dodge a rate limit or lock another address out of the admin.
if env_int("DJANGO_TRUSTED_PROXIES", 0, minimum=0) and not all(map(reachable_only_through_a_proxy, bind)):
    raise SystemExit(
        f"gunicorn: DJANGO_TRUSTED_PROXIES is set, so the server must be reachable only through the proxy: "
        f"bind it to a Unix socket or to a loopback address, not {', '.join(bind)} (GUNICORN_BIND)."
    )
workers = env_int("GUNICORN_WORKERS", 2 * len(os.sched_getaffinity(0)) + 1, minimum=1)
timeout = env_int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = 30

# Load Django once, before forking: a configuration error (no secret key, a
# malformed variable) stops the server at start-up, with its message.
preload_app = True
# Recycle each worker after a few thousand requests, so a slow leak stays bounded.
max_requests = 5000
max_requests_jitter = 500
# No control socket: its default path is shared by every gunicorn of this user.
control_socket_disable = True
# Worker heartbeats in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Request size limits above Django's (records/request_limits.py: URL 4096
# characters, 100 headers of at most 8190 bytes), so that Django answers an
# oversized request with the API's JSON error; only beyond these does gunicorn
# answer with its own page. 8190 is the most gunicorn allows for a request line.
limit_request_line = 8190
limit_request_fields = 200
limit_request_field_size = 16380

# Access log on stdout: client, request line, status, bytes, milliseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
