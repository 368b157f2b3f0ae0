"""The possible-match admin: the evidence as a readable table, an Accept and a
Reject button on the match's page (each after a confirmation page), the same
as list actions; accepting is the person merge (undone on the merge's page),
a refusal says why, and only curators may decide."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from records.curation.merge import merge_people
from records.models import Person, PersonMerge, PossibleMatch, Source
from records.roles import ensure_curator_group

EVIDENCE = [
    {"name": "spelling variant", "weight": 3.0, "detail": "Anil Doharey ~ Anil Dohare (dohare/doharey)"},
    {"name": "same constituency", "weight": 3.0, "detail": "stood in Kannauj (2017)"},
    {"name": "other party", "weight": -0.5, "detail": "latest SP (2017)"},
]


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user("ria", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    return user


@pytest.fixture
def match(seeded):
    known = Person.objects.create(slug="anil-dohare", name="Anil Dohare")
    new = Person.objects.create(slug="anil-doharey", name="Anil Doharey")
    source = Source.objects.order_by("pk").first()
    return PossibleMatch.objects.create(incoming=new, existing=known, score=5.5, evidence=EVIDENCE, source=source)


def test_the_match_page_shows_the_evidence_as_a_table_and_the_two_buttons(match, client, curator):
    client.force_login(curator)
    page = client.get(reverse("admin:records_possiblematch_change", args=[match.pk])).content.decode()
    assert "<td>spelling variant</td>" in page
    assert '<td style="text-align:right">-0.5</td>' in page
    assert "stood in Kannauj (2017)" in page
    assert reverse("admin:records_possiblematch_decide", args=[match.pk, "accept"]) in page
    assert reverse("admin:records_possiblematch_decide", args=[match.pk, "reject"]) in page
    listing = client.get(reverse("admin:records_possiblematch_changelist"), {"status__exact": "open"})
    assert "Anil Doharey" in listing.content.decode()


def test_accepting_after_confirmation_merges_and_links_the_undoable_merge(match, client, curator):
    client.force_login(curator)
    url = reverse("admin:records_possiblematch_decide", args=[match.pk, "accept"])
    confirmation = client.get(url).content.decode()
    assert "Accept and merge" in confirmation
    assert "spelling variant" in confirmation
    assert PossibleMatch.objects.get(pk=match.pk).status == "open"  # nothing before confirming

    done = client.post(url, {"note": "one affidavit"}, follow=True)
    assert "Accepted possible match" in done.content.decode()
    match.refresh_from_db()
    assert (match.status, match.decided_by, match.note) == ("accepted", curator, "one affidavit")
    merge = PersonMerge.objects.get()
    assert (merge.kept_id, merge.removed_id) == (match.existing_id, match.incoming_id)
    page = client.get(reverse("admin:records_possiblematch_change", args=[match.pk])).content.decode()
    assert reverse("admin:records_personmerge_change", args=[merge.pk]) in page
    assert f"#{match.incoming_id} (no longer a person of its own)" in page


def test_rejecting_from_the_list_and_a_refusal_says_why(match, client, curator):
    client.force_login(curator)
    url = reverse("admin:records_possiblematch_changelist")
    client.post(url, {"action": "reject_selected", "_selected_action": [match.pk]})
    assert PossibleMatch.objects.get(pk=match.pk).status == "rejected"
    again = client.post(url, {"action": "accept_selected", "_selected_action": [match.pk]}, follow=True)
    assert f"Possible match #{match.pk} was already rejected by ria" in again.content.decode()
    assert not PersonMerge.objects.exists()


def test_a_match_whose_person_was_merged_away_is_refused_in_the_admin(match, client, curator):
    client.force_login(curator)
    other = Person.objects.create(slug="a-dohare", name="A. Dohare")
    merge_people(other, match.existing, curator)
    url = reverse("admin:records_possiblematch_decide", args=[match.pk, "accept"])
    done = client.post(url, follow=True).content.decode()
    assert f"was merged into #{other.pk} (A. Dohare)" in done
    assert PossibleMatch.objects.get(pk=match.pk).status == "open"


def test_only_curators_decide(match, client):
    visitor = get_user_model().objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(visitor)
    url = reverse("admin:records_possiblematch_decide", args=[match.pk, "accept"])
    assert client.post(url).status_code == 403
    assert PossibleMatch.objects.get(pk=match.pk).status == "open"
