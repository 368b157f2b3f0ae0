"""gunicorn settings for the production command (scripts/serve-prod.sh).

Environment:
    GUNICORN_BIND     address:port to listen on (default: 127.0.0.1:8000)
    GUNICORN_WORKERS  worker processes (default: 2 x the cores this process may use + 1)
    GUNICORN_TIMEOUT  seconds a worker may spend on one request before it is restarted (default: 30)
"""

import os

from config.env import env_int, env_str

bind = [env_str("GUNICORN_BIND", "127.0.0.1:8000")]
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

# Access log on stdout: client, request line, status, bytes, milliseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
