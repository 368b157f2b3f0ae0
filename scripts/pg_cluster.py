"""A throwaway PostgreSQL primary and its streaming replica on 127.0.0.1.

Used by the replica tests (tests/test_read_replicas.py) and by the loopback
cluster (scripts/cluster.py). Both servers live in one temporary directory, on
free ports, with their sockets there too: the machine's own server (5432) is
never touched. The primary is made by initdb (trust on 127.0.0.1, replication
included), the replica by pg_basebackup -R from it, so it streams from the
primary from its first second. `stop()` stops both and removes the directory.

PostgreSQL refuses to run as root: as root, the servers run as the `postgres`
OS user (runuser); otherwise as the current user.

    python scripts/pg_cluster.py    # starts a pair, prints their URLs, stops it on Enter or Ctrl-C

Standard library only (no Django), so that any script can use it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DATABASE = "records"
SERVER_USER = "postgres"  # the OS user the servers run as when we are root; also the database superuser
# Throwaway data: durability traded for speed. Everything else stays PostgreSQL's default
# (wal_level=replica, hot_standby=on, initdb's pg_hba allowing replication from 127.0.0.1).
SETTINGS = {"fsync": "off", "full_page_writes": "off", "max_connections": "100"}


class Unavailable(RuntimeError):
    """No PostgreSQL pair can be started here; the message says why."""


def binaries() -> Path:
    """The directory of initdb, pg_ctl and pg_basebackup: the newest installed version's."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl and shutil.which("initdb") and shutil.which("pg_basebackup"):
        return Path(pg_ctl).resolve().parent
    raise Unavailable("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) on this machine")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    data: Path
    port: int
    log: Path


@dataclass
class Cluster:
    """A primary and one replica; `url()` gives each one's database URL."""

    root: Path
    bin: Path
    primary: Server
    replica: Server
    database: str = DATABASE
    _as_user: list[str] = field(default_factory=list)

    def url(self, server: Server | None = None, database: str | None = None) -> str:
        server = server or self.primary
        return f"postgres://{SERVER_USER}@127.0.0.1:{server.port}/{database or self.database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary)

    @property
    def replica_url(self) -> str:
        return self.url(self.replica)

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """A PostgreSQL program as the servers' user; its output in the error when it fails."""
        result = subprocess.run(
            [*self._as_user, *args], capture_output=True, text=True, timeout=timeout, check=False, cwd=self.root
        )
        if result.returncode:
            raise Unavailable(f"{Path(args[0]).name} failed ({result.returncode}): {result.stderr.strip()[-800:]}")
        return result

    def start_server(self, server: Server) -> None:
        options = " ".join(
            [
                f"-c port={server.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                *(f"-c {name}={value}" for name, value in SETTINGS.items()),
            ]
        )
        try:
            self.run(str(self.bin / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(server.data),
                     "-l", str(server.log), "-o", options)  # fmt: skip
        except Unavailable as exc:
            raise Unavailable(f"{exc}\n{server.name} log: {self.log_tail(server)}") from None

    def stop_server(self, server: Server, mode: str = "fast") -> None:
        if (server.data / "postmaster.pid").exists():
            with contextlib.suppress(Unavailable, subprocess.TimeoutExpired):
                self.run(str(self.bin / "pg_ctl"), "stop", "-w", "-t", "30", "-m", mode, "-D", str(server.data))

    def stop_replica(self) -> None:
        self.stop_server(self.replica)

    def start_replica(self) -> None:
        self.start_server(self.replica)

    def log_tail(self, server: Server) -> str:
        try:
            return server.log.read_text(errors="replace")[-1500:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """Stop both servers (the replica first) and remove every file."""
        self.stop_server(self.replica, "immediate")
        self.stop_server(self.primary, "fast")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(database: str = DATABASE, parent: str | None = None) -> Cluster:
    """Start a primary with `database` in it and a replica streaming from it.
    Raises Unavailable (with the reason) when that cannot be done here; on any
    failure, whatever was started is stopped and removed."""
    bin_dir = binaries()
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise Unavailable(f"running as root and there is no {SERVER_USER!r} OS user to run PostgreSQL") from None
        runuser = shutil.which("runuser")
        if not runuser:
            raise Unavailable("running as root and runuser is missing: cannot run PostgreSQL as another user")
        as_user = [runuser, "-u", SERVER_USER, "--"]
    root = Path(tempfile.mkdtemp(prefix="pg-cluster-", dir=parent))
    if owner:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    cluster = Cluster(
        root=root,
        bin=bin_dir,
        primary=Server("primary", root / "primary", 0, root / "primary.log"),
        replica=Server("replica", root / "replica", 0, root / "replica.log"),
        database=database,
        _as_user=as_user,
    )
    try:
        cluster.run(str(bin_dir / "initdb"), "-D", str(cluster.primary.data), "-U", SERVER_USER,
                    "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        _start_on_a_free_port(cluster, cluster.primary)
        cluster.run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.primary.port),
                    "-U", SERVER_USER, database)  # fmt: skip
        # -R writes primary_conninfo and standby.signal: the copy starts as a streaming replica.
        cluster.run(str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(cluster.primary.port),
                    "-U", SERVER_USER, "-D", str(cluster.replica.data), "-R", "-X", "stream",
                    "-c", "fast", "--no-sync")  # fmt: skip
        _start_on_a_free_port(cluster, cluster.replica)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _start_on_a_free_port(cluster: Cluster, server: Server, attempts: int = 3) -> None:
    """Another process may take the port between our probe and the server's bind: try again."""
    for attempt in range(attempts):
        server.port = free_port()
        try:
            cluster.start_server(server)
            return
        except Unavailable:
            if attempt == attempts - 1:
                raise


def main() -> None:
    with start() as cluster:
        print(f"primary: {cluster.primary_url}\nreplica: {cluster.replica_url}\ndata:    {cluster.root}")
        with contextlib.suppress(KeyboardInterrupt, EOFError):
            input("Enter or Ctrl-C stops both and removes their data.\n")


if __name__ == "__main__":
    main()
