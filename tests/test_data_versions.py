"""Every table's version moves with every write to it, by whatever path, in
the write's own transaction (records/dataversions.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from records import dataversions
from records.models import Place

pytestmark = pytest.mark.django_db


def version_of(table: str) -> int:
    return dataversions.versions([table])[table].number


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", ["records_data_version_%"]
            )
        else:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [dataversions.TRIGGER])
        return {name.strip('"') for (name,) in cursor.fetchall()}


def test_every_table_of_the_records_and_the_users_has_its_trigger_and_version():
    tracked = set(dataversions.tracked_tables())
    assert {"records_person", "records_historicalperson", "records_alliance_parties", "auth_user"} <= tracked
    assert triggered_tables() >= tracked
    assert set(dataversions.versions(tracked)) == tracked


def test_installing_again_changes_nothing():
    before = dataversions.versions(dataversions.tracked_tables())
    dataversions.install()
    assert dataversions.versions(dataversions.tracked_tables()) == before


def test_a_write_moves_its_tables_version_and_its_change_time_on():
    before = dataversions.versions(["records_place", "records_person"])
    Place.objects.create(slug="somewhere", name="Somewhere", kind="city")
    after = dataversions.versions(["records_place", "records_person"])
    assert after["records_place"].number > before["records_place"].number
    assert after["records_place"].changed_at >= before["records_place"].changed_at
    assert after["records_person"] == before["records_person"]


def test_a_rolled_back_write_leaves_the_version_as_it_was():
    before = version_of("records_place")
    with transaction.atomic():
        Place.objects.create(slug="somewhere", name="Somewhere", kind="city")
        assert version_of("records_place") > before  # seen inside its own transaction
        transaction.set_rollback(True)
    assert version_of("records_place") == before


def test_of_the_users_only_a_username_change_counts():
    user = get_user_model().objects.create_user("ria", password="not-used")
    before = version_of("auth_user")
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())  # a login
    assert version_of("auth_user") == before
    get_user_model().objects.filter(pk=user.pk).update(username="ria2")
    assert version_of("auth_user") > before
