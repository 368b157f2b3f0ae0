import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command


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
