"""Each contest's stored winner_margin (records/winner_margins.py) is the margin
of its winner, the first winning candidacy by id, whatever writes the
candidacies: an import, a save, a queryset update, a bulk insert, a delete,
raw SQL; and a contest a candidacy leaves is recomputed too."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, OuterRef, Subquery

from records import winner_margins
from records.models import Candidacy, Contest, Person


def margins_as_computed() -> dict[int, int | None]:
    winner = Candidacy.objects.filter(contest=OuterRef("pk"), won=True).order_by("id").values("margin")[:1]
    return dict(Contest.objects.annotate(computed=Subquery(winner)).values_list("id", "computed"))


def stored_margins() -> dict[int, int | None]:
    return dict(Contest.objects.values_list("id", "winner_margin"))


@pytest.fixture
def contest(results_2017, db) -> Contest:
    return Contest.objects.filter(candidacies__won=True, winner_margin__gt=0).order_by("id").first()


def test_every_imported_contest_stores_its_winners_margin(contest):
    stored = stored_margins()
    assert stored == margins_as_computed()
    assert sum(margin is not None for margin in stored.values()) > 300  # the 2017 results: 403 contests


def test_a_saved_candidacy_changes_its_contests_margin(contest):
    winner = contest.candidacies.get(won=True)
    winner.margin += 7
    winner.save()
    contest.refresh_from_db()
    assert contest.winner_margin == winner.margin


def test_updates_inserts_deletes_and_raw_sql_keep_every_margin(contest):
    other = Contest.objects.exclude(pk=contest.pk).filter(candidacies__won=True).order_by("id").first()
    winner = contest.candidacies.get(won=True)
    runner_up = contest.candidacies.filter(won=False).order_by("-votes").first()

    Candidacy.objects.filter(pk=winner.pk).update(margin=123456)  # a queryset update
    assert Contest.objects.get(pk=contest.pk).winner_margin == 123456
    Candidacy.objects.filter(pk=winner.pk).update(won=False)  # no winner any more
    assert Contest.objects.get(pk=contest.pk).winner_margin is None
    Candidacy.objects.filter(pk=runner_up.pk).update(won=True, margin=5)
    assert Contest.objects.get(pk=contest.pk).winner_margin == 5

    # A candidacy moved to another contest: both contests are recomputed.
    Candidacy.objects.filter(pk=runner_up.pk).update(contest=other)
    assert Contest.objects.get(pk=contest.pk).winner_margin is None
    assert stored_margins() == margins_as_computed()

    # A bulk insert, a delete, raw SQL.
    newcomer = Person.objects.create(slug="winner-margin-test", name="Winner Margin Test")
    Candidacy.objects.bulk_create(
        [Candidacy(person=newcomer, election=contest.election, contest=contest, won=True, margin=42, votes=1)]
    )
    assert Contest.objects.get(pk=contest.pk).winner_margin == 42
    with connection.cursor() as cursor:
        cursor.execute("UPDATE records_candidacy SET margin = 43 WHERE person_id = %s", [newcomer.pk])
    assert Contest.objects.get(pk=contest.pk).winner_margin == 43
    Candidacy.objects.filter(person=newcomer).delete()
    assert Contest.objects.get(pk=contest.pk).winner_margin is None
    assert stored_margins() == margins_as_computed()


def test_installing_the_triggers_again_recomputes_what_was_written_without_them(contest):
    """SQLite drops a table's triggers when a migration rebuilds it: the writes
    made until migrate's hook puts them back are caught up then."""
    winner_margins.uninstall()
    Candidacy.objects.filter(contest=contest, won=True).update(margin=777)
    assert Contest.objects.get(pk=contest.pk).winner_margin != 777  # nothing kept it
    winner_margins.install()
    assert Contest.objects.get(pk=contest.pk).winner_margin == 777
    assert stored_margins() == margins_as_computed()
    Candidacy.objects.filter(contest=contest, won=True).update(margin=778)  # and the triggers are back
    assert Contest.objects.get(pk=contest.pk).winner_margin == 778


def test_a_contests_history_shows_its_edits_not_its_derived_margin(contest, client):
    """The margin changes without an edit (no version of its own), so a
    version's value is stale: the history compares the edited fields only."""
    from tests.api import get_json

    contest.save()  # a version holding the margin as it is
    Candidacy.objects.filter(contest=contest, won=True).update(margin=F("margin") + 1)
    contest.refresh_from_db()
    contest.electors = (contest.electors or 0) + 1
    contest.save()
    latest = get_json(client, f"/api/v1/contests/{contest.pk}/history/")["results"][0]
    assert [change["field"] for change in latest["changes"]] == ["electors"]
