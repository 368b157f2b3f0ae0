import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

RESULTS_2017 = settings.BASE_DIR / "data" / "up-assembly-2017-eci"


def dump_records() -> str:
    """Every row of every table of the records app, by content: two equal dumps
    mean an operation changed nothing."""
    objects = []
    for model in apps.get_app_config("records").get_models():
        if not model._meta.proxy:
            objects += list(model._base_manager.order_by("pk"))
    return serializers.serialize("json", objects)


@pytest.fixture
def seeded(db):
    """The product's seed data (fixtures/*.json), loaded as `load_seed_data` does."""
    call_command("load_seed_data", skip_migrate=True, verbosity=0)


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
def results_2017(django_db_setup, django_db_blocker):
    """Seeds + the 2017 results, once per test module (the import takes seconds),
    rolled back at the module's end; each test's own changes roll back on top."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed_data", skip_migrate=True, verbosity=0)
        import_2017_results()
        yield
        transaction.set_rollback(True)
