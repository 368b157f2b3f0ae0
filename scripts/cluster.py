"""The loopback cluster (README: "Read replicas and the loopback cluster").

On 127.0.0.1 only: a PostgreSQL primary and its streaming replica
(scripts/pg_cluster.py), the production server twice (gunicorn, each reading
from the replica and writing to the primary) and HAProxy in front of both,
balancing requests and checking each server's /api/v1/health/.

    make cluster          start it, load the seeds and the 2017 results, print the URLs; Ctrl-C stops it
    make cluster-stop     stop the one `make cluster` started (from another terminal)
    make cluster-load     start it, run the bounded load test (scripts/cluster_load.py), stop it

Environment: CLUSTER_PORT (HAProxy's port for both app servers, default
8780; the next port reaches the first app server alone, for comparisons),
CLUSTER_WORKERS (gunicorn workers per app server, default 3). HAProxy is
Debian's `haproxy` package (installed here when missing and we are root).
Everything it starts is stopped, and its files removed, on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pg_cluster

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "data" / "up-assembly-2017-eci"
STATE = Path(tempfile.gettempdir()) / "political-records-cluster.json"
CURATOR = "cluster-curator"
OWN_PREFIXES = ("DJANGO_", "GUNICORN_", "DATABASE_", "REDIS_")


class ClusterError(RuntimeError):
    pass


@dataclass
class Cluster:
    pg: pg_cluster.Cluster
    root: Path
    port: int
    env: dict[str, str]
    app_ports: list[int] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    token: str = ""

    @property
    def url(self) -> str:
        """Both app servers, through the proxy."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def one_server_url(self) -> str:
        """The first app server alone, through the proxy."""
        return f"http://127.0.0.1:{self.port + 1}"

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.pg.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def haproxy() -> str:
    found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("== installing Debian's haproxy package", flush=True)
        install = ["apt-get", "install", "-y", "--no-install-recommends", "haproxy"]
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        if subprocess.run(install, env=env, capture_output=True, check=False).returncode:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=False)
            subprocess.run(install, env=env, capture_output=True, check=False)
        found = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/sbin")
    if not found:
        raise ClusterError("HAProxy is missing: install Debian's haproxy package (apt-get install haproxy)")
    return found


def manage(cluster: Cluster, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=cluster.env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise ClusterError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClusterError(f"{log.name}: the process stopped:\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if response.status == 200:
                return
        time.sleep(0.3)
    raise ClusterError(f"{url} did not answer within {seconds} s; see {log}")


def start(port: int = 8780, app_servers: int = 2, workers: int = 3) -> Cluster:
    """Everything started and answering, or ClusterError (and nothing left running)."""
    proxy = haproxy()
    print("== PostgreSQL: a primary and a streaming replica", flush=True)
    pg = pg_cluster.start()
    root = Path(tempfile.mkdtemp(prefix="records-cluster-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN_PREFIXES)} | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "0",  # plain HTTP on loopback
        "DJANGO_TRUSTED_PROXIES": "1",  # HAProxy: the client's address is its X-Forwarded-For
        "DATABASE_URL": pg.primary_url,
        "DATABASE_REPLICA_URLS": pg.replica_url,
        # All the load comes from one address: lift the per-address limits, as `make load` does.
        "DJANGO_THROTTLE_ANON_BURST": "1000000/min",
        "DJANGO_THROTTLE_ANON_SUSTAINED": "100000000/day",
        "DJANGO_THROTTLE_USER_BURST": "1000000/min",
        "DJANGO_THROTTLE_USER_SUSTAINED": "100000000/day",
        "GUNICORN_WORKERS": str(workers),
        "CLUSTER_CURATOR_PASSWORD": secrets.token_urlsafe(24),
    }
    cluster = Cluster(pg=pg, root=root, port=port, env=env)
    try:
        print("== data: the seeds and the 2017 results into the primary", flush=True)
        manage(cluster, "load_seed_data", "--verbosity", "0")
        manage(cluster, "import_results", str(RESULTS / "uttar-pradesh-2017.json"), "--election", "up-2017",
               "--party-map", str(RESULTS / "party-map.csv"), "--no-progress", "--verbosity", "0")  # fmt: skip
        created = manage(cluster, "create_curator", CURATOR, "--password-from-env", "CLUSTER_CURATOR_PASSWORD",
                         "--email", "curator@example.org", "--token")  # fmt: skip
        cluster.token = created.rsplit("API token:", 1)[1].split()[0]
        manage(cluster, "collectstatic", "--noinput", "--verbosity", "0")
        manage(cluster, "createcachetable")
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        for number in range(1, app_servers + 1):
            app_port = pg_cluster.free_port()
            log = root / f"app{number}.log"
            print(f"== app server {number}: gunicorn on 127.0.0.1:{app_port}, {workers} workers", flush=True)
            with log.open("w") as out:
                process = subprocess.Popen(
                    [gunicorn, "--config", "config/gunicorn.conf.py", "config.wsgi"],
                    cwd=BASE_DIR,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{app_port}"},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            cluster.processes.append(process)
            cluster.app_ports.append(app_port)
            wait_for(f"http://127.0.0.1:{app_port}/api/v1/health/", process, log)
        config = root / "haproxy.cfg"
        config.write_text(haproxy_config(port, cluster.app_ports))
        log = root / "haproxy.log"
        print(f"== HAProxy on 127.0.0.1:{port} (both app servers) and :{port + 1} (the first alone)", flush=True)
        with log.open("w") as out:
            process = subprocess.Popen([proxy, "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
        cluster.processes.append(process)
        wait_for(f"{cluster.url}/api/v1/health/", process, log)
        wait_for(f"{cluster.one_server_url}/api/v1/health/", process, log)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def haproxy_config(port: int, app_ports: list[int]) -> str:
    check = "check inter 2s fall 2 rise 1"
    servers = "\n".join(f"    server app{n} 127.0.0.1:{p} {check}" for n, p in enumerate(app_ports, start=1))
    return f"""global
    maxconn 2000

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    # The client's address for the app's rate limits and logs (DJANGO_TRUSTED_PROXIES=1).
    option forwardfor
    option http-keep-alive
    # A request that could not reach an app server, or whose server closed without answering (it was
    # stopping), is tried on another: only those that change nothing (see the backends).
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response
    # A server whose health check fails gets no requests until it passes again.
    option httpchk
    http-check send meth GET uri /api/v1/health/ ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200

frontend all_servers
    bind 127.0.0.1:{port}
    default_backend all_servers

frontend first_server
    bind 127.0.0.1:{port + 1}
    default_backend first_server

backend all_servers
    balance roundrobin
    http-request disable-l7-retry unless {{ method GET HEAD OPTIONS }}
{servers}

backend first_server
    http-request disable-l7-retry unless {{ method GET HEAD OPTIONS }}
    server app1 127.0.0.1:{app_ports[0]} {check}
"""


def describe(cluster: Cluster) -> str:
    apps = ", ".join(f"http://127.0.0.1:{p}/" for p in cluster.app_ports)
    return (
        f"API (both app servers, via HAProxy):  {cluster.url}/api/v1/\n"
        f"the first app server alone (HAProxy): {cluster.one_server_url}/api/v1/\n"
        f"health:                               {cluster.url}/api/v1/health/\n"
        f"app servers (direct):                 {apps}\n"
        f"primary:                              {cluster.pg.primary_url}\n"
        f"replica:                              {cluster.pg.replica_url}\n"
        f"curator token:                        {cluster.token}\n"
        f"logs:                                 {cluster.root}"
    )


def up(args) -> int:
    if STATE.exists() and _alive(json.loads(STATE.read_text())["pid"]):
        print(f"cluster: one is running already (make cluster-stop); {STATE}", file=sys.stderr)
        return 1
    stopping = []

    def stop_on_signal(signum, frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        cluster = start(args.port, workers=args.workers)
    except (ClusterError, pg_cluster.Unavailable) as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1
    try:
        STATE.write_text(json.dumps({"pid": os.getpid(), "url": cluster.url}))
        print(f"\n{describe(cluster)}\n\nCtrl-C (or `make cluster-stop`) stops everything.", flush=True)
        *apps, proxy = cluster.processes
        reported = set()
        while proxy.poll() is None:
            for number, app in enumerate(apps, start=1):
                if app.poll() is not None and number not in reported:
                    reported.add(number)
                    print(f"cluster: app server {number} stopped; HAProxy sends its requests to the others")
            time.sleep(1)
        print("cluster: HAProxy stopped; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n== stopping", flush=True)
        return 0
    finally:
        cluster.stop()
        STATE.unlink(missing_ok=True)


def stop(args) -> int:
    if not STATE.exists():
        print("cluster: none is running")
        return 0
    pid = json.loads(STATE.read_text())["pid"]
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(120):
            if not _alive(pid):
                break
            time.sleep(0.5)
    STATE.unlink(missing_ok=True)
    print("cluster: stopped")
    return 0


def load(args) -> int:
    import cluster_load

    try:
        cluster = start(args.port, workers=args.workers)
    except (ClusterError, pg_cluster.Unavailable) as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 1
    try:
        print(f"\n{describe(cluster)}\n", flush=True)
        return cluster_load.run(cluster)
    finally:
        print("== stopping the cluster", flush=True)
        cluster.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up", "stop", "load"], nargs="?", default="up")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", "8780")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CLUSTER_WORKERS", "3")))
    args = parser.parse_args()
    return {"up": up, "stop": stop, "load": load}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
