"""The two servers of a run, each one gunicorn worker on 127.0.0.1: the API
(from this checkout or another one, its production settings, throttling on)
and the limit (bench/limit/, from this checkout)."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVING = ROOT / "bench" / "serving"
API_PREFIX, LIMIT_PREFIX = "/api/v1", "/limit/v1"
# Production's throttle classes and counters stay on; the rates are raised so
# that one client sending requests back to back is never answered 429. Both
# windows are a minute: a counter then holds the last minute's requests (a few
# thousand timestamps, the size production's 5000/day allows), not the whole run's.
THROTTLE_RATES = {
    "DJANGO_THROTTLE_ANON_BURST": "1000000/min",
    "DJANGO_THROTTLE_ANON_SUSTAINED": "1000000/min",
    "DJANGO_THROTTLE_USER_BURST": "1000000/min",
    "DJANGO_THROTTLE_USER_SUSTAINED": "1000000/min",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, *, cwd: Path, settings: str, env: dict, ready_path: str, timeout: int = 120):
    """Yield the port of a one-worker gunicorn serving ``app``; stop it after."""
    port = free_port()
    environment = {
        **os.environ,
        **env,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": os.pathsep.join([str(cwd), str(SERVING)]),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            f"--bind=127.0.0.1:{port}",
            "--workers=1",  # one process: its latency is its own, its RSS one worker's
            f"--timeout={timeout}",
            "--log-level=warning",
        ],
        env=environment,
        cwd=cwd,
    )
    try:
        _wait_until_up(port, process, ready_path)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def api_server(database_url: str, checkout: Path):
    env = {"DATABASE_URL": database_url, "DJANGO_HTTPS": "0", **THROTTLE_RATES}
    return gunicorn(
        "config.wsgi:application", cwd=checkout, settings="bench_api_settings", env=env, ready_path=f"{API_PREFIX}/"
    )


def limit_server(database_url: str):
    return gunicorn(
        "bench.limit.wsgi:application",
        cwd=ROOT,
        settings="bench.limit.settings",
        env={"DATABASE_URL": database_url},
        ready_path=f"{LIMIT_PREFIX}/health/",
    )


def _wait_until_up(port: int, process: subprocess.Popen, path: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


def fetch(port: int, url: str) -> tuple[int, bytes, float, dict]:
    """(status, body, seconds, headers) of one GET on a fresh connection."""
    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", url)
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - began
    connection.close()
    return response.status, body, seconds, {k.lower(): v for k, v in response.getheaders()}
