"""The load test's traffic (scripts/load_test.sh): a mix of lists, details,
filtered lists and name searches, each user at a constant rate.

LOAD_USER_RATE: requests per second per user (set by the script)."""

from __future__ import annotations

import json
import os
import random
from urllib.request import urlopen

from locust import HttpUser, constant_throughput, events, task

API = "/api/v1"
SEARCHES = ["kumar", "yadav", "singh", "asim arun", "maurya", "devi"]
FILTERS = [
    f"{API}/contests/?election=up-2017&winner_party=bjp",
    f"{API}/contests/?election=up-2017&margin_max=1000",
    f"{API}/persons/?party=bjp",
    f"{API}/postings/?organisation=up-police",
    f"{API}/elections/?year=2017",
    f"{API}/constituencies/?reservation=SC",
]
LISTS = ["persons", "postings", "parties", "elections", "constituencies", "contests", "sources"]


IDS: dict[str, list[int]] = {}


@events.test_start.add_listener
def collect_ids(environment, **kwargs):
    """Records to ask for by id: a page of each, read once, outside the measurements."""
    for plural in ("persons", "contests"):
        with urlopen(f"{environment.host}{API}/{plural}/?page_size=200", timeout=30) as response:
            IDS[plural] = [row["id"] for row in json.load(response)["results"]]


class Reader(HttpUser):
    wait_time = constant_throughput(float(os.environ.get("LOAD_USER_RATE", "1")))

    @task(3)
    def list_page(self):
        plural = random.choice(LISTS)
        self.client.get(f"{API}/{plural}/", name=f"{API}/[list]/")

    @task(4)
    def person(self):
        self.client.get(f"{API}/persons/{random.choice(IDS['persons'])}/", name=f"{API}/persons/[id]/")

    @task(2)
    def contest(self):
        self.client.get(f"{API}/contests/{random.choice(IDS['contests'])}/", name=f"{API}/contests/[id]/")

    @task(1)
    def election(self):
        self.client.get(f"{API}/elections/up-2017/")  # official results tallied from 403 contests

    @task(3)
    def filtered(self):
        self.client.get(random.choice(FILTERS), name=f"{API}/[filtered]/")

    @task(3)
    def search(self):
        self.client.get(f"{API}/persons/", params={"q": random.choice(SEARCHES)}, name=f"{API}/persons/?q=")
