"""Read replicas, against a real PostgreSQL primary and streaming replica.

The suite starts both on 127.0.0.1 (scripts/pg_cluster.py, on free ports, in a
temporary directory; skipped with the reason where that cannot be done), and
the production server (gunicorn, two workers; tests/replica_server_settings.py)
with DATABASE_URL naming the primary and DATABASE_REPLICA_URLS the replica;
then everything goes over HTTP.

Which database answered is proven by data, not by a header: with the
replica's replay paused (pg_wal_replay_pause()), a write reaches the primary
only, so a read that shows it came from the primary and one that does not
came from the replica."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from scripts import pg_cluster
from tests.processes import environment

PERSON = "/api/v1/persons/asim-arun/"
CURATOR, PASSWORD = "ria", "a-long-test-password-" + secrets.token_urlsafe(8)
READ_YOUR_WRITES_SECONDS = 4  # short, so that a test can also see it end
RETRY_SECONDS = 2  # how long a replica that did not answer is left alone


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg_cluster.Cluster]:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        # They start servers of their own, whatever the pass's database: once is enough.
        pytest.skip("runs in the PostgreSQL pass of scripts/test.sh (it starts its own primary and replica)")
    try:
        pair = pg_cluster.start()
    except pg_cluster.Unavailable as exc:
        pytest.skip(f"no PostgreSQL primary and streaming replica can be started here: {exc}")
    try:
        yield pair
    finally:
        pair.stop()


@pytest.fixture(scope="module")
def server(cluster, tmp_path_factory) -> Iterator[Server]:
    app = Server(cluster, tmp_path_factory.mktemp("replica-server"))
    try:
        app.start()
        yield app
    finally:
        app.stop()


class Server:
    """The production server (gunicorn) over the primary and its replica."""

    def __init__(self, cluster: pg_cluster.Cluster, folder: Path):
        self.cluster = cluster
        self.port = pg_cluster.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "server.log"
        self.process: subprocess.Popen | None = None
        self.env = environment(
            DJANGO_SETTINGS_MODULE="tests.replica_server_settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
            DJANGO_HTTPS="0",
            DATABASE_URL=cluster.primary_url,
            DATABASE_REPLICA_URLS=cluster.replica_url,
            DATABASE_READ_YOUR_WRITES_SECONDS=str(READ_YOUR_WRITES_SECONDS),
            DATABASE_REPLICA_RETRY_SECONDS=str(RETRY_SECONDS),
            DJANGO_THROTTLE_ANON_BURST="1000000/min",
            DJANGO_THROTTLE_ANON_SUSTAINED="100000000/day",
            DJANGO_LOG_FORMAT="text",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="2",
            CURATOR_PASSWORD=PASSWORD,
        )
        self.token = ""

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}: {result.stderr[-2000:]}"
        return result.stdout

    def start(self) -> None:
        self.manage("load_seed_data", "--verbosity", "0")  # migrates the primary first
        created = self.manage("create_curator", CURATOR, "--password-from-env", "CURATOR_PASSWORD", "--token")
        self.token = re.search(r"API token: (\S+)", created).group(1)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(gunicorn), "--config", "config/gunicorn.conf.py", "config.wsgi"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: self.answers(), timeout=60, what=f"the server to start:\n{self.log_tail()}")

    def answers(self) -> bool:
        assert self.process.poll() is None, f"the server stopped:\n{self.log_tail()}"
        try:
            return Client(self).get("/api/v1/health/").status == 200
        except OSError:
            return False

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


class Client:
    """One HTTP client: its own cookies (or those of another); a token when given one."""

    def __init__(self, server: Server, token: str | None = None, cookies: http.cookiejar.CookieJar | None = None):
        self.server = server
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> Answer:
        request = urllib.request.Request(
            self.server.base + path, data=body, method=method, headers={**self.headers, **headers}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def patch(self, path: str, fields: dict) -> Answer:
        body = json.dumps(fields).encode()
        return self.request("PATCH", path, body, **{"Content-Type": "application/json", "If-Match": "*"})

    def has_cookie(self, name: str) -> bool:
        return any(cookie.name == name for cookie in self.cookies)

    def forget_cookie(self, name: str) -> None:
        for cookie in list(self.cookies):
            if cookie.name == name:
                self.cookies.clear(cookie.domain, cookie.path, cookie.name)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout} s for {what}")
        time.sleep(0.1)


def replica_sql(cluster: pg_cluster.Cluster, statement: str, *params):
    with psycopg.connect(cluster.replica_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        return conn.execute(statement, params).fetchone()


@contextlib.contextmanager
def replay_paused(cluster: pg_cluster.Cluster) -> Iterator[None]:
    """The replica receives the primary's changes but does not apply them."""
    replica_sql(cluster, "SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        replica_sql(cluster, "SELECT pg_wal_replay_resume()")


def social_group(client: Client) -> str:
    answer = client.get(PERSON)
    assert answer.status == 200, answer.body
    return answer.json()["social_group"]


def write_social_group(server: Server, value: str) -> Client:
    """A curator's write through the API; the curator's client, with the cookies it got."""
    curator = Client(server, server.token)
    answer = curator.patch(PERSON, {"social_group": value})
    assert answer.status == 200, answer.body
    return curator


def test_a_write_on_the_primary_reaches_the_replica(server, cluster):
    write_social_group(server, "replicated")

    def replica_has_it() -> bool:
        return replica_sql(cluster, "SELECT social_group FROM records_person WHERE slug = %s", "asim-arun") == (
            "replicated",
        )

    wait_until(replica_has_it, timeout=30, what="the write to be replayed on the replica")
    wait_until(lambda: social_group(Client(server)) == "replicated", timeout=10, what="an anonymous read to show it")


def test_anonymous_reads_come_from_the_replica_and_the_writer_reads_its_write_at_once(server, cluster):
    write_social_group(server, "before")
    wait_until(lambda: social_group(Client(server)) == "before", timeout=30, what="replication")
    with replay_paused(cluster):
        curator = write_social_group(server, "after")
        assert curator.has_cookie("records_wrote")
        # Only the primary has "after" while replay is paused.
        assert social_group(curator) == "after"  # the token and the cookie: from the primary
        assert social_group(Client(server, server.token)) == "after"  # the token alone (a client without cookies)
        assert social_group(Client(server, cookies=curator.cookies)) == "after"  # the cookie alone (a browser)
        assert [social_group(Client(server)) for _ in range(6)] == ["before"] * 6  # anyone else: the replica

        time.sleep(READ_YOUR_WRITES_SECONDS + 0.5)
        assert social_group(Client(server, server.token)) == "before"  # the window has closed: the replica again
        health = Client(server).get("/api/v1/health/").json()
        replica = health["checked"][1]
        assert (replica["role"], replica["reachable"]) == ("replica", True)
        assert replica["lag_seconds"] > 0  # behind: it has not replayed the last write
    wait_until(lambda: social_group(Client(server)) == "after", timeout=30, what="replay to resume")


def test_a_replica_behind_tags_what_it_has(server, cluster):
    """A replica that has not replayed a write answers what it has, with an
    ETag made of its own data versions (and keeps totals under them,
    records/remembered.py): once it replays the write, a client that kept that
    copy gets the new answer, not a 304 for the old one."""
    write_social_group(server, "tagged-before")
    wait_until(lambda: social_group(Client(server)) == "tagged-before", timeout=30, what="replication")
    with replay_paused(cluster):
        write_social_group(server, "tagged-after")
        stale = Client(server).get(PERSON)
        assert stale.json()["social_group"] == "tagged-before"  # the paused replica's
    wait_until(lambda: social_group(Client(server)) == "tagged-after", timeout=30, what="replay to resume")
    again = Client(server).request("GET", PERSON, **{"If-None-Match": stale.headers["ETag"]})
    assert again.status == 200, again.headers
    assert again.json()["social_group"] == "tagged-after"


def test_a_forged_cookie_reads_from_the_replica(server, cluster):
    write_social_group(server, "genuine")
    wait_until(lambda: social_group(Client(server)) == "genuine", timeout=30, what="replication")
    with replay_paused(cluster):
        write_social_group(server, "newer")
        forger = Client(server)
        assert forger.request("GET", PERSON, Cookie="records_wrote=1").json()["social_group"] == "genuine"


def test_the_admin_reads_from_the_primary(server, cluster):
    person_id = Client(server).get(PERSON).json()["id"]
    browser = Client(server)
    login = browser.get("/admin/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login.body)
    assert found, (login.status, login.body[:3000])
    csrf = found.group(1).decode()
    form = urllib.parse.urlencode(
        {"username": CURATOR, "password": PASSWORD, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
    ).encode()
    answer = browser.request("POST", "/admin/login/", form, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 302, answer.body[:2000]
    browser.forget_cookie("records_wrote")  # so that only being the admin sends it to the primary
    with replay_paused(cluster):
        write_social_group(server, "seen-by-admin")
        page = browser.get(f"/admin/records/person/{person_id}/change/")
        assert page.status == 200
        assert b'value="seen-by-admin"' in page.body
        assert social_group(Client(server)) != "seen-by-admin"  # the API reader: the paused replica


def test_a_replica_that_goes_down_fails_over_to_the_primary(server, cluster):
    write_social_group(server, "while-down")
    cluster.stop_replica()
    try:
        paths = [PERSON, "/api/v1/parties/", "/api/v1/persons/?q=arun", "/api/v1/postings/", "/api/v1/sources/"]
        answers = [Client(server).get(path) for _ in range(3) for path in paths]
        assert [a.status for a in answers] == [200] * len(answers), [a.body[:300] for a in answers if a.status != 200]
        assert social_group(Client(server)) == "while-down"
        health = Client(server).get("/api/v1/health/")
        assert health.status == 200
        assert health.json()["database"] == "degraded"
        assert [(c["role"], c["reachable"]) for c in health.json()["checked"]] == [
            ("primary", True),
            ("replica", False),
        ]
        assert cluster.replica_url.split("@")[1] not in health.body.decode()  # no host or port given away
    finally:
        cluster.start_replica()
    # Back up: after the retry window, reads go to the replica again.
    wait_until(lambda: social_group(Client(server)) == "while-down", timeout=30, what="the replica to catch up")
    time.sleep(RETRY_SECONDS + 0.5)
    with replay_paused(cluster):
        write_social_group(server, "replica-is-back")
        assert social_group(Client(server)) == "while-down"
