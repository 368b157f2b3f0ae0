"""Four eyes on the workbench (issue 21, item 3): what a curator drafts from
a document stays out of public reads (lists, details, nested records,
as_of) until a second curator verifies it; the curator who drafted it cannot
verify it anywhere (workbench, admin, API); a new claim can be linked to an
earlier one, and two claims that exist can be linked, each cited to the
selected words; every kind of claim the issue names can be made."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from records.models import ClaimLink, PartyResult, PersonAlias, PersonRelation, Posting, ReviewStatus
from tests.conftest import dump_records
from tests.test_workbench import ADD, SAID, claim_form, claim_url, curator, details, joined, staff  # noqa: F401
from tests.writes import token_client


def verify_url(source) -> str:
    return reverse("admin:records_source_verify", args=[source.pk])


def link_url(source) -> str:
    return reverse("admin:records_source_link", args=[source.pk])


def workbench(client, source) -> str:
    return client.get(reverse("admin:records_source_workbench", args=[source.pk])).content.decode()


def bjp_memberships(**params) -> dict:
    """Asim Arun's BJP postings as the public API lists them: key -> superseded_by."""
    query = {"person": "asim-arun", "organisation": "bjp", **params}
    response = Client().get("/api/v1/postings/", query)
    assert response.status_code == 200, response.content
    return {row["key"]: row["superseded_by"] for row in response.json()["results"]}


@pytest.fixture
def expected() -> Posting:
    """The seeds' "likely to join the BJP" (000, published 2022-01-10)."""
    return Posting.objects.get(person__slug="asim-arun", key="bjp-member")


def make_membership(curator, joined, expected, **changes) -> Posting:  # noqa: F811
    defaults = {
        "kind": "membership",
        "key": "bjp-member-joined",
        "party": "bjp",
        "organisation": "",
        "role": "",
        "link_kind": "supersedes",
        "link_target": f"posting:{expected.pk}",
    }
    form = claim_form(joined, **(defaults | changes))
    response = curator.post(claim_url(joined), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")


def test_a_membership_superseding_the_expected_one_is_public_once_a_second_curator_verifies_it(
    curator,  # noqa: F811
    joined,  # noqa: F811
    expected,
):
    made = make_membership(curator, joined, expected)
    assert (made.role, made.organisation.slug, made.start, made.status) == ("member", "bjp", "2022-01-16", "confirmed")
    assert (made.review_status, made.drafted_by.username) == ("draft", "ria")
    link = ClaimLink.objects.get(claim_id=made.pk, kind="supersedes")
    assert (link.target, link.drafted_by.username, link.review_status) == (expected, "ria", "draft")
    assert [c.quote for c in link.citations.all()] == [SAID]

    # Drafted: the public reads as before, a reader who asks sees it.
    assert bjp_memberships(as_of="2022-01-17") == {"bjp-member": None}
    assert bjp_memberships() == {"bjp-member": None}
    supersedes = {"kind": "supersedes", "claim": {"type": "posting", "id": made.pk}, "since": "2022-01-17"}
    assert bjp_memberships(as_of="2022-01-17", include_pending="true") == {
        "bjp-member": supersedes,
        "bjp-member-joined": None,
    }
    assert Client().get(f"/api/v1/postings/{made.pk}/").status_code == 404
    assert Client().get(f"/api/v1/postings/{made.pk}/", {"include_pending": "true"}).status_code == 200

    # The curator who drafted it cannot verify it.
    page = curator.post(verify_url(joined), {"record": f"posting:{made.pk}"}, follow=True).content.decode()
    assert "You drafted this record: another curator must verify it." in page
    made.refresh_from_db()
    assert made.review_status == "draft"

    # A second curator verifies it, and the link drafted with it.
    curator.force_login(staff("sam", curator=True))
    assert f'value="posting:{made.pk}"' in workbench(curator, joined)  # offered for verifying
    curator.post(verify_url(joined), {"record": f"posting:{made.pk}"})
    made.refresh_from_db()
    link.refresh_from_db()
    assert (made.review_status, made.verified_by.username, made.drafted_by.username) == ("verified", "sam", "ria")
    assert (link.review_status, link.verified_by.username) == ("verified", "sam")
    assert "Waiting for a second curator (0)" in workbench(curator, joined)

    assert bjp_memberships(as_of="2022-01-17") == {"bjp-member": supersedes, "bjp-member-joined": None}
    assert bjp_memberships(as_of="2022-01-16") == {"bjp-member": None}  # the article was not out yet
    person = Client().get("/api/v1/persons/asim-arun/", {"as_of": "2022-01-17"}).json()
    assert {m["key"] for m in person["memberships"]} == {"bjp-member", "bjp-member-joined"}


def test_a_pending_claim_is_left_out_of_nested_lists_and_exports_until_verified(
    curator,  # noqa: F811
    joined,  # noqa: F811
    expected,
):
    made = make_membership(curator, joined, expected)
    public = Client()
    person = public.get("/api/v1/persons/asim-arun/").json()
    assert "bjp-member-joined" not in {m["key"] for m in person["memberships"]}
    expected_row = next(m for m in person["memberships"] if m["key"] == "bjp-member")
    assert expected_row["superseded_by"] is None
    asked = public.get("/api/v1/persons/asim-arun/", {"include_pending": "true"}).json()
    assert "bjp-member-joined" in {m["key"] for m in asked["memberships"]}
    csv = b"".join(public.get("/api/v1/postings/", {"person": "asim-arun", "format": "csv"}).streaming_content)
    csv = csv.decode()
    assert "bjp-member-joined" not in csv
    popolo = b"".join(public.get("/api/v1/popolo/", {"q": "asim"}).streaming_content).decode()
    assert f'"postings/{made.pk}"' not in popolo
    assert (
        f'"postings/{made.pk}"'
        in b"".join(public.get("/api/v1/popolo/", {"q": "asim", "include_pending": "true"}).streaming_content).decode()
    )


def test_the_drafter_cannot_verify_through_the_api_or_the_admin_but_another_curator_can(
    curator,  # noqa: F811
    joined,  # noqa: F811
    expected,
):
    made = make_membership(curator, joined, expected)
    ria = made.drafted_by
    response = token_client(ria).patch(
        f"/api/v1/postings/{made.pk}/", {"review_status": "verified"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["review_status"] == ["You drafted this record: another curator must verify it."]
    changelist = reverse("admin:records_posting_changelist")
    page = curator.post(
        changelist, {"action": "mark_verified", "_selected_action": [made.pk]}, follow=True
    ).content.decode()
    assert "1 left as drafts: you drafted them, so another curator must verify them." in page
    made.refresh_from_db()
    assert made.review_status == "draft"

    sam = staff("sam", curator=True)
    response = token_client(sam).patch(
        f"/api/v1/postings/{made.pk}/", {"review_status": "verified"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["review_status"], response.json()["verified_by"]) == ("verified", "sam")
    assert "bjp-member-joined" in bjp_memberships()


def test_records_loaded_from_the_seeds_stay_public_and_any_curator_verifies_them(curator, expected):  # noqa: F811
    assert expected.drafted_by is None
    assert expected.review_status == "draft"
    assert "bjp-member" in bjp_memberships()
    changelist = reverse("admin:records_posting_changelist")
    curator.post(changelist, {"action": "mark_verified", "_selected_action": [expected.pk]})
    expected.refresh_from_db()
    assert expected.review_status == ReviewStatus.VERIFIED


def test_two_claims_that_exist_are_linked_from_the_selected_words(curator, joined, expected):  # noqa: F811
    made = make_membership(curator, joined, expected, link_kind="", link_target="")
    assert not ClaimLink.objects.filter(claim_id=made.pk).exists()
    start = joined.text.index(SAID)
    form = {
        "start": start,
        "end": start + len(SAID),
        "claim": f"posting:{made.pk}",
        "kind": "fulfils",
        "target": f"posting:{expected.pk}",
    }
    response = curator.post(link_url(joined), form)
    assert response.status_code == 302
    link = ClaimLink.objects.get(claim_id=made.pk)
    assert (link.kind, link.target, link.drafted_by.username) == ("fulfils", expected, "ria")
    assert [(c.quote, c.start) for c in link.citations.all()] == [(SAID, start)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target": "posting:999999"}, "No posting 999999."),
        ({"target": "source:1"}, "Pick a claim from the list."),
        ({"kind": "replaces"}, "Select a valid choice."),
        ({"start": 0, "end": 0}, "Select the words that say it."),
    ],
)
def test_a_link_that_does_not_hold_is_refused_and_nothing_is_written(
    curator,  # noqa: F811
    joined,  # noqa: F811
    expected,
    changes,
    message,
):
    start = joined.text.index(SAID)
    form = {
        "start": start,
        "end": start + len(SAID),
        "claim": f"posting:{expected.pk}",
        "kind": "confirms",
        "target": f"posting:{Posting.objects.get(person__slug='asim-arun', key='ips').pk}",
        **changes,
    }
    before = dump_records()
    response = curator.post(link_url(joined), form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert dump_records() == before


def test_a_claim_linked_to_itself_is_refused(curator, joined, expected):  # noqa: F811
    start = joined.text.index(SAID)
    form = {"start": start, "end": start + len(SAID), "kind": "confirms"}
    form |= {"claim": f"posting:{expected.pk}", "target": f"posting:{expected.pk}"}
    before = dump_records()
    response = curator.post(link_url(joined), form)
    assert response.status_code == 400
    assert "A claim cannot be linked to itself." in response.content.decode()
    assert dump_records() == before


FAMILY = "Asim Arun, a relative of former DGP Brij Lal, also known as Aseem Arun, said the BJP won 255 seats."


@pytest.fixture
def family(curator):  # noqa: F811
    curator.post(ADD, details(text=FAMILY, title="Family and results", url="https://example.org/family"))
    from records.models import Source

    return Source.objects.get(title="Family and results")


def selection(source, words: str) -> dict:
    start = source.text.index(words)
    return {"start": start, "end": start + len(words), "status": "confirmed"}


def test_a_relation_an_alias_and_a_party_result_are_made_from_selected_words(curator, family):  # noqa: F811
    relation = {**selection(family, "Asim Arun, a relative of former DGP Brij Lal"), "kind": "relation"}
    relation |= {"person": "asim-arun", "other": "brij-lal", "relation_kind": "relative"}
    alias = {
        **selection(family, "Aseem Arun"),
        "kind": "alias",
        "person": "asim-arun",
        "alias_kind": "spelling_variant",
    }
    result = {**selection(family, "the BJP won 255 seats"), "kind": "party_result", "election": "up-2022"}
    result |= {"party": "bjp", "seats_won": "255"}
    for form in (relation, alias, result):
        response = curator.post(claim_url(family), form)
        assert response.status_code == 302, (form["kind"], response.content.decode()[-2000:])

    made_relation = PersonRelation.objects.get(subject__slug="asim-arun", object__slug="brij-lal", kind="relative")
    made_alias = PersonAlias.objects.get(person__slug="asim-arun", name="Aseem Arun")
    made_result = PartyResult.objects.get(election__slug="up-2022", party__slug="bjp", seats_won=255)
    for record, words in (
        (made_relation, "Asim Arun, a relative of former DGP Brij Lal"),
        (made_alias, "Aseem Arun"),
        (made_result, "the BJP won 255 seats"),
    ):
        assert (record.review_status, record.drafted_by.username) == ("draft", "ria")
        assert words in [c.quote for c in record.citations.all()]

    public = Client().get("/api/v1/persons/asim-arun/").json()
    assert "Aseem Arun" not in {a["name"] for a in public["aliases"]}
    assert made_relation.pk not in {r["id"] for r in public["relations"]}
    asked = Client().get("/api/v1/persons/asim-arun/", {"include_pending": "true"}).json()
    assert "Aseem Arun" in {a["name"] for a in asked["aliases"]}
    page = workbench(curator, family)
    assert "Waiting for a second curator (3)" in page


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("relation", "A relation between people needs this."),
        ("alias", "An alias (another name) needs this."),
        ("party_result", "A party result needs this."),
        ("membership", "A party membership needs this."),
    ],
)
def test_each_kind_names_what_it_needs(curator, family, kind, message):  # noqa: F811
    before = dump_records()
    response = curator.post(claim_url(family), {**selection(family, "Aseem Arun"), "kind": kind})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert dump_records() == before


def test_a_link_needs_its_kind_and_its_claim(curator, joined, expected):  # noqa: F811
    before = dump_records()
    response = curator.post(claim_url(joined), claim_form(joined, link_kind="supersedes"))
    assert response.status_code == 400
    assert "A link needs both." in response.content.decode()
    assert dump_records() == before


NEWCOMER = "Ravindra Pratap Shahi, a former IAS officer, joined the Jan Suraksha Morcha on Sunday."


@pytest.fixture
def newcomer(curator):  # noqa: F811
    curator.post(ADD, details(text=NEWCOMER, title="A newcomer", url="https://example.org/newcomer"))
    from records.models import Source

    return Source.objects.get(title="A newcomer")


def new_record_url(source) -> str:
    return reverse("admin:records_source_new_record", args=[source.pk])


def test_a_suggested_new_name_becomes_a_pending_person_that_claims_may_name(curator, newcomer):  # noqa: F811
    from records.models import Person

    page = workbench(curator, newcomer)
    assert "Add as new" in page  # offered on the new names the suggestions found
    words = selection(newcomer, "Ravindra Pratap Shahi")
    response = curator.post(new_record_url(newcomer), {**words, "kind": "person"}, follow=True)
    assert "Added the person" in response.content.decode()
    person = Person.objects.get(name="Ravindra Pratap Shahi")
    assert (person.slug, person.review_status, person.drafted_by.username) == ("ravindra-pratap-shahi", "draft", "ria")
    assert [c.quote for c in person.citations.all()] == ["Ravindra Pratap Shahi"]
    assert Client().get("/api/v1/persons/", {"q": "Ravindra"}).json()["results"] == []
    assert Client().get("/api/v1/persons/ravindra-pratap-shahi/").status_code == 404
    # A claim may name the pending person at once.
    form = {**selection(newcomer, NEWCOMER[:-1]), "kind": "membership", "person": person.slug}
    form |= {"key": "jsm-member", "party": "bjp", "start_date": "on Sunday"}
    assert curator.post(claim_url(newcomer), form).status_code == 302
    assert "Waiting for a second curator (2)" in workbench(curator, newcomer)


def test_a_new_name_like_a_recorded_one_is_refused_unless_the_curator_confirms(curator, joined):  # noqa: F811
    from records.models import Organisation, Person

    words = selection(joined, "Asim Arun")
    before = dump_records()
    page = curator.post(new_record_url(joined), {**words, "kind": "person"}, follow=True).content.decode()
    assert "Already recorded under a similar name: Asim Arun (asim-arun)." in page
    assert dump_records() == before
    curator.post(new_record_url(joined), {**words, "kind": "person", "confirmed": "1"})
    assert Person.objects.get(slug="asim-arun-2").name == "Asim Arun"
    party = selection(joined, "Bharatiya Janata Party")
    page = curator.post(
        new_record_url(joined), {**party, "kind": "organisation", "organisation_kind": "party"}, follow=True
    )
    assert "Already recorded under a similar name: Bharatiya Janata Party (bjp)" in page.content.decode()
    assert Organisation.objects.filter(name="Bharatiya Janata Party").count() == 1


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"kind": "place"}, "Say whether the name is a person or an organisation."),
        ({"kind": "person", "start": "x"}, "Select the words that name it."),
        ({"kind": "person", "start": 0, "end": 0}, "Select the words of the document that say it."),
        ({"kind": "organisation", "organisation_kind": "club"}, "is not a valid choice"),
    ],
)
def test_a_new_record_that_does_not_hold_is_refused_and_nothing_is_written(curator, newcomer, form, message):  # noqa: F811
    words = selection(newcomer, "Jan Suraksha Morcha")
    before = dump_records()
    page = curator.post(new_record_url(newcomer), {**words, **form}, follow=True).content.decode()
    assert message in page
    assert dump_records() == before


def test_the_admin_form_refuses_the_drafter_verifying_and_takes_another_curator(
    curator,  # noqa: F811
    joined,  # noqa: F811
    expected,
    rf,
):
    from django.contrib import admin as django_admin
    from django.forms.models import model_to_dict

    made = make_membership(curator, joined, expected)
    posting_admin = django_admin.site._registry[Posting]

    def verifying_form(user):
        request = rf.post("/")
        request.user = user
        form_class = posting_admin.get_form(request, made)
        data = {name: value for name, value in model_to_dict(made).items() if value is not None}
        return form_class(data={**data, "review_status": "verified"}, instance=made)

    refused = verifying_form(made.drafted_by)
    assert not refused.is_valid()
    assert refused.errors["review_status"] == ["You drafted this record: another curator must verify it."]
    accepted = verifying_form(staff("sam", curator=True))
    assert "review_status" not in accepted.errors


@pytest.mark.parametrize("record", ["", "posting:abc", "source:1", "posting:999999"])
def test_verifying_nothing_that_can_be_verified_says_so_and_changes_nothing(curator, joined, record):  # noqa: F811
    before = dump_records()
    response = curator.post(verify_url(joined), {"record": record}, follow=True)
    assert response.status_code == 200
    assert ("Pick a claim from the list." in response.content.decode()) or (
        "No posting 999999." in response.content.decode()
    )
    assert dump_records() == before


def test_only_a_curator_may_verify(curator, joined, expected, client):  # noqa: F811
    made = make_membership(curator, joined, expected)
    client.force_login(staff("reader", curator=False))
    assert client.post(verify_url(joined), {"record": f"posting:{made.pk}"}).status_code == 403
    made.refresh_from_db()
    assert made.review_status == "draft"


def test_a_seed_draft_is_verified_from_the_workbench_by_any_curator_and_only_once(curator, joined, expected):  # noqa: F811
    page = curator.post(verify_url(joined), {"record": f"posting:{expected.pk}"}, follow=True).content.decode()
    assert "public reads show it now" in page
    expected.refresh_from_db()
    assert (expected.review_status, expected.verified_by.username) == ("verified", "ria")
    again = curator.post(verify_url(joined), {"record": f"posting:{expected.pk}"}, follow=True).content.decode()
    assert "It was verified already." in again


def test_public_and_pending_split_the_records_with_draft_written_into_the_sql(seeded):
    """``public`` writes "draft" into its SQL (so that SQLite can use the
    postings' partial index): it still keeps exactly the records that are not pending."""
    from django.contrib.auth import get_user_model

    from records.curation.review import Constant, pending, public

    drafter = get_user_model().objects.create_user("drafter-of-one")
    drafted = Posting.objects.order_by("pk").first()
    Posting.objects.filter(pk=drafted.pk).update(drafted_by=drafter, review_status=ReviewStatus.DRAFT)
    shown = set(Posting.objects.filter(public()).values_list("pk", flat=True))
    hidden = set(Posting.objects.filter(pending()).values_list("pk", flat=True))
    assert hidden == {drafted.pk}
    assert shown == set(Posting.objects.values_list("pk", flat=True)) - hidden
    with pytest.raises(ValueError, match="not a plain word"):
        Constant("draft' OR '1")
