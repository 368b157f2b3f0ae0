import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

RESULTS_2017 = settings.BASE_DIR / "data" / "up-assembly-2017-eci"


def dump_records() -> str:
    """Every row of every table of the records app, by content: two equal dumps
    mean an operation changed nothing."""
    objects = []
    for model in apps.get_app_config("records").get_models():
        if not model._meta.proxy:
            objects += list(model._base_manager.order_by("pk"))
    return serializers.serialize("json", objects)


def settle_module_data() -> None:
    """Check the deferred constraints of rows a module fixture wrote, once, in
    its own transaction. Otherwise PostgreSQL checks them again at the end of
    every test (Django's test teardown runs SET CONSTRAINTS ALL IMMEDIATE in
    the test's savepoint, whose rollback queues them again): 0.2 s a test after
    the 2017 results."""
    connection.check_constraints()


@pytest.fixture(autouse=True)
def nothing_remembered():
    """Each test counts for itself (records/remembered.py): a total or a
    plan's count that another test made on the same data would leave a query
    out of a query budget."""
    from records import remembered

    remembered.forget()


@pytest.fixture(scope="module")
def seed_data(django_db_setup, django_db_blocker):
    """The product's seed data (fixtures/*.json), loaded as `load_seed_data` does,
    once per test module in a transaction rolled back at the module's end. Module
    fixtures that add their own rows build on this one."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
        settle_module_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seed_data, db):
    """The seed data for one test; the test's own changes roll back after it."""


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A scratch copy of seeds/ that a test may break."""
    target = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, target, ignore=shutil.ignore_patterns("README.md"))
    return target


def import_2017_results() -> None:
    """The shipped 2017 results, as `make serve` imports them."""
    call_command(
        "import_results",
        str(RESULTS_2017 / "uttar-pradesh-2017.json"),
        election="up-2017",
        party_map=RESULTS_2017 / "party-map.csv",
        verbosity=0,
        no_progress=True,
    )


@pytest.fixture(scope="module")
def results_2017(seed_data, django_db_blocker):
    """Seeds + the 2017 results, once per test module (the import takes seconds),
    rolled back at the module's end; each test's own changes roll back on top."""
    with django_db_blocker.unblock(), transaction.atomic():
        import_2017_results()
        settle_module_data()
        yield
        transaction.set_rollback(True)


# Module data fixtures stay set up until their module ends, so within a module
# the tests that need less data run first: tests that commit (transactional),
# then those on an empty database, then those on the seeds, then those on the
# seeds and the 2017 results. Otherwise the order of the file is kept.
def _data_level(item: pytest.Item) -> int:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        return 0
    if "results_2017" in names:
        return 3
    return 2 if "seed_data" in names else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    module_order = {}
    for item in items:
        module_order.setdefault(item.path, len(module_order))
        # A test on the module's data reads the database even when it asks only
        # for a client: marked, so that pytest-django creates the test database
        # when such tests are all that runs (`pytest -k namesakes`).
        names = getattr(item, "fixturenames", ())
        transactional = "transactional_db" in names or "live_server" in names
        if "seed_data" in names and not transactional and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)
    items.sort(key=lambda item: (module_order[item.path], _data_level(item)))
