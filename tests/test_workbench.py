"""The annotation workbench in the admin (issue 21): adding a document, its
workbench page with suggestions, and its annotation exported."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.models import Citation, Person, Posting, Source
from records.seedbuilder.export import export_annotation
from records.suggestions import suggest
from records.suggestions.stored import kept_suggestions
from tests.conftest import dump_records
from tests.writes import account

ADD = reverse("admin:records_source_add_document")
ARTICLE_HTML = (
    "<html><head><title>x</title><script>var a = 1;</script></head><body><nav>Home</nav>"
    "<p>Former Kanpur police commissioner <b>Asim Arun</b> joined the BJP on&nbsp;Sunday.</p>"
    "<p>He said he was &ldquo;honoured&rdquo;.</p><footer>© The Paper</footer></body></html>"
)


def staff(username: str, *, curator: bool):
    user = account(username, curator=curator)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def curator(seed_data, db, client):
    client.force_login(staff("ria", curator=True))
    return client


def details(**changes) -> dict:
    return {
        "published_on": "2022-01-17",
        "title": "Asim Arun joins the BJP",
        "publisher": "The Paper",
        "url": "https://example.org/asim-arun-joins",
        "language": "en",
        **changes,
    }


def test_the_sources_list_offers_the_page(curator):
    assert ADD in curator.get(reverse("admin:records_source_changelist")).content.decode()


def test_pasted_text_is_stored_after_the_date_header_with_its_sha256(curator):
    response = curator.post(ADD, details(text="Asim Arun joined the BJP on Sunday.\r\nHe was honoured.\r\n"))
    source = Source.objects.get(title="Asim Arun joins the BJP")
    assert response.status_code == 302
    assert source.text == " date 2022-01-17 Asim Arun joined the BJP on Sunday.\nHe was honoured.\n"
    assert source.sha256 == hashlib.sha256(source.text.encode()).hexdigest()
    assert source.slug == f"2022-01-17_{source.sha256[:16]}"
    assert (source.publisher, source.url, source.language, source.not_stated) == (
        "The Paper",
        "https://example.org/asim-arun-joins",
        "en",
        [],
    )
    assert not source.citations.exists()  # claims are made later


def test_an_uploaded_html_page_is_stored_as_its_text(curator):
    upload = SimpleUploadedFile("joined.html", ARTICLE_HTML.encode(), content_type="text/html")
    response = curator.post(ADD, details(upload=upload))
    assert response.status_code == 302
    source = Source.objects.get(title="Asim Arun joins the BJP")
    assert source.text == (
        " date 2022-01-17 Former Kanpur police commissioner Asim Arun joined the BJP on Sunday.\n\n"
        "He said he was “honoured”."
    )


def test_an_uploaded_text_file_is_stored_verbatim(curator):
    upload = SimpleUploadedFile("joined.txt", "Arun said “yes”.\n".encode(), content_type="text/plain")
    assert curator.post(ADD, details(upload=upload)).status_code == 302
    assert Source.objects.get(title="Asim Arun joins the BJP").text == " date 2022-01-17 Arun said “yes”.\n"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"upload": ("joined.txt", "café".encode("latin-1"))}, "The file is not UTF-8 text (byte 3 is 0xe9)"),
        ({"upload": ("joined.pdf", b"%PDF-1.4")}, "Upload a .txt or .html file, not &#x27;joined.pdf&#x27;."),
        ({"upload": ("big.txt", b"a" * 1_000_001)}, "The file has 1,000,001 bytes; the limit is 1,000,000."),
        ({"text": "   \n"}, "The document has no text: paste it or upload a file."),
        ({"text": "é" * 500_001}, "The text is over 1,000,000 bytes (UTF-8)"),
        ({"text": "Words.", "upload": ("joined.txt", b"Words.")}, "Paste the text or upload a file, not both."),
        ({"text": "Words.", "language": "english!"}, "is not a BCP 47 language tag"),
        ({"text": "Words.", "published_on": "2022-02-30"}, "Enter a valid date."),
        ({"text": "Words.", "url": ""}, "Give the url, or tick it under"),
        ({"text": "Words.", "not_stated": ["title"]}, "Given, yet ticked as not stated"),
        ({"text": " date 2022-01-10 Words."}, "not the publication date 2022-01-17"),
        ({"text": "Words.", "slug": "000_b84d1872df6a742e"}, "A source already has the key"),
    ],
)
def test_bad_input_is_refused_with_its_reason_and_nothing_is_written(curator, changes, message):
    if "upload" in changes:
        name, content = changes["upload"]
        changes["upload"] = SimpleUploadedFile(name, content)
    before = dump_records()
    response = curator.post(ADD, details(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert dump_records() == before


def test_a_document_without_title_publisher_or_url_says_so(curator):
    response = curator.post(
        ADD, details(text="Words.", title="", publisher="", url="", not_stated=["title", "publisher", "url"])
    )
    assert response.status_code == 302
    assert Source.objects.get(text=" date 2022-01-17 Words.").not_stated == ["title", "publisher", "url"]


def test_a_duplicate_is_refused_naming_the_existing_source(curator):
    seed = Source.objects.get(slug="000_b84d1872df6a742e")
    date_line, body = seed.text[: len(" date 2022-01-10 ")], seed.text[len(" date 2022-01-10 ") :]
    assert date_line == " date 2022-01-10 "
    before = dump_records()
    response = curator.post(ADD, details(text=body, published_on="2022-01-10"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This document is already recorded" in page
    assert f'<a href="{reverse("admin:records_source_change", args=[seed.pk])}">' in page
    assert "000_b84d1872df6a742e" in page
    assert dump_records() == before


def test_only_curators_may_add_documents(seed_data, db, client):
    client.force_login(staff("reader", curator=False))
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, details(text="Words.")).status_code == 403
    assert not Source.objects.filter(text=" date 2022-01-17 Words.").exists()


# -- the workbench page ---------------------------------------------------------


def workbench_url(source) -> str:
    return reverse("admin:records_source_workbench", args=[source.pk])


def test_adding_a_document_leads_to_its_workbench(curator):
    response = curator.post(ADD, details(text="Asim Arun joined the BJP on Sunday."))
    source = Source.objects.get(title="Asim Arun joins the BJP")
    assert response["Location"] == workbench_url(source)


def test_the_text_is_shown_with_its_suggestions_at_their_exact_offsets(curator):
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    page = BeautifulSoup(curator.get(workbench_url(source)).content.decode(), "html.parser")
    text = page.find(id="wb-text")
    assert text.get_text() == source.text  # the stored text, exactly: offsets count in it
    marks = text.find_all("mark")
    assert marks
    for mark in marks:
        assert source.text[int(mark["data-start"]) : int(mark["data-end"])] == mark.get_text()
    items = page.select(".wb-item")
    expected = [s for s in suggest(source.text, source.published_on) if s.start >= len(" date 2022-01-10 ")]
    assert sorted((int(i["data-start"]), int(i["data-end"])) for i in items) == sorted(
        (s.start, s.end) for s in expected
    )
    for item in items:  # each suggestion's words are those of the text between its offsets
        start, end = int(item["data-start"]), int(item["data-end"])
        assert item.select_one(".wb-jump").get_text() == source.text[start:end]
        covering = [m for m in marks if item["data-s"] in m["data-s"].split()]
        assert "".join(m.get_text() for m in covering) == source.text[start:end]
    asim = Person.objects.get(slug="asim-arun")
    people = page.select_one('.wb-group[data-kind="person"]')
    assert reverse("admin:records_person_change", args=[asim.pk]) in str(people)
    assert "Cited to this document" in page.get_text()
    assert reverse(
        "admin:records_posting_change", args=[Posting.objects.get(person__slug="asim-arun", key="bjp-member").pk]
    ) in str(page)


@pytest.mark.parametrize("slug", ["000_b84d1872df6a742e", "002_2c5037d3f0a176ad"])
def test_suggestions_are_kept_not_computed_on_every_view(curator, django_assert_num_queries, slug):
    source = Source.objects.get(slug=slug)
    cache.clear()
    curator.get(workbench_url(source))  # the first view computes them (and keeps them)
    # The session, the user, the user's and the user's groups' permissions, the source,
    # its citations, then one query per kind of record cited (places, people, postings...):
    # none for the suggestions, however many there are. The claims a link may name and those
    # waiting for a second curator: the document's cited claims, then one query for each kind
    # of a person's claim (postings, candidacies, events, relations), for its party results,
    # links, aliases, people and organisations if it cites some.
    cited = set(source.citations.values_list("content_type__model", flat=True))
    claims = 1 + 4 + len(cited & {"partyresult", "claimlink", "personalias", "person", "organisation"})
    with django_assert_num_queries(6 + len(cited) + claims):
        response = curator.get(workbench_url(source))
    assert response.status_code == 200
    assert response.content.decode().count('class="wb-item"') == len(kept_suggestions(source)["items"]) > 40


def test_suggest_again_recomputes_them(curator):
    curator.post(ADD, details(text="On Monday, Ramesh Chandra Verma met Asim Arun in Lucknow."))
    source = Source.objects.get(title="Asim Arun joins the BJP")
    new = next(s for s in kept_suggestions(source)["items"] if s["kind"] == "new_person")  # computed on adding
    assert new["text"] == "Ramesh Chandra Verma"
    Person.objects.create(slug="ramesh-chandra-verma", name="Ramesh Chandra Verma")  # recorded since
    response = curator.post(workbench_url(source))
    assert response.status_code == 302
    again = {(s["start"], s["end"]): s for s in kept_suggestions(source)["items"]}
    assert again[new["start"], new["end"]]["record"]["slug"] == "ramesh-chandra-verma"


def test_the_workbench_works_under_the_content_security_policy(curator):
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    response = curator.get(workbench_url(source))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    page = BeautifulSoup(response.content.decode(), "html.parser")
    scripts = page.find_all("script")
    assert any(s.get("src", "").endswith("records/workbench.js") for s in scripts)
    assert all(s.get("src") and s["src"].startswith("/") for s in scripts)  # no inline code, nothing from elsewhere
    assert all(link["href"].startswith("/") for link in page.find_all("link", rel="stylesheet"))
    assert not page.find_all("style")


def test_the_annotation_and_the_document_download(curator):
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    annotation = curator.get(reverse("admin:records_source_annotation", args=[source.pk]))
    assert annotation["Content-Disposition"] == 'attachment; filename="000_b84d1872df6a742e.yaml"'
    assert annotation.content.decode() == export_annotation(source)
    document = curator.get(reverse("admin:records_source_document", args=[source.pk]))
    assert document["Content-Disposition"] == 'attachment; filename="000_b84d1872df6a742e.txt"'
    assert document.content == source.text.encode()


def test_what_cannot_be_exported_is_listed_on_the_workbench(curator):
    source = Source.objects.get(slug="002_2c5037d3f0a176ad")
    posting = Posting.objects.get(person__slug="asim-arun", key="spg-sp")
    start = source.text.index("Asim Arun")
    Citation.objects.create(source=source, record=posting, quote="Asim Arun", start=start, end=start + 9)
    response = curator.get(reverse("admin:records_source_annotation", args=[source.pk]), follow=True)
    assert response.redirect_chain == [(workbench_url(source), 302)]
    assert "The annotation cannot be exported: posting spg-sp refers to organisation" in response.content.decode()


def test_only_curators_may_use_the_workbench(seed_data, db, client):
    client.force_login(staff("reader", curator=False))
    source = Source.objects.get(slug="000_b84d1872df6a742e")
    for url in (
        workbench_url(source),
        reverse("admin:records_source_annotation", args=[source.pk]),
        reverse("admin:records_source_document", args=[source.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(workbench_url(source)).status_code == 403


# -- claims recorded later, from an annotation ------------------------------------

MATERIAL = Path(__file__).parent / "material"


def add_joined_story(curator, **changes) -> Source:
    text = (MATERIAL / "003_story_joined.txt").read_text(encoding="utf-8")
    body = text.removeprefix(" date 2022-01-17 ")
    form = details(
        **{
            "text": body,
            "title": "Test material: Asim Arun joins the BJP",
            "publisher": "Political Records API test suite (not a published source)",
            "url": "",
            "not_stated": ["url"],
            **changes,
        }
    )
    assert curator.post(ADD, form).status_code == 302
    source = Source.objects.get(sha256=hashlib.sha256(text.encode()).hexdigest())
    assert source.text == text  # byte for byte the file the annotation was written for
    return source


def test_a_document_added_first_takes_its_annotation_later(curator):
    source = add_joined_story(curator)
    annotation = (MATERIAL / "003_story_joined.yaml").read_text(encoding="utf-8")
    record = reverse("admin:records_source_record_document")
    response = curator.post(record, {"slug": "003_story_joined", "text": source.text, "annotation": annotation})
    assert response["Location"] == reverse("admin:records_source_change", args=[source.pk])
    joined = Posting.objects.get(person__slug="asim-arun", key="bjp-member-joined")
    assert {c.source_id for c in joined.citations.all()} == {source.pk}
    assert Source.objects.get(pk=source.pk).slug == source.slug  # the added document keeps its key
    again = dump_records()
    curator.post(record, {"slug": "003_story_joined", "text": source.text, "annotation": annotation})
    assert dump_records() == again  # now it says something: recorded, and skipped the next time


def test_an_annotation_that_contradicts_the_added_details_writes_nothing(curator):
    source = add_joined_story(curator, title="Asim Arun joins the BJP")
    annotation = (MATERIAL / "003_story_joined.yaml").read_text(encoding="utf-8")
    before = dump_records()
    response = curator.post(
        reverse("admin:records_source_record_document"),
        {"slug": "003_story_joined", "text": source.text, "annotation": annotation},
    )
    assert response.status_code == 200
    assert "title: the database has &#x27;Asim Arun joins the BJP&#x27;" in response.content.decode()
    assert dump_records() == before


# -- a claim from selected words ------------------------------------------------------

JOINED = "Former Kanpur police commissioner Asim Arun joined the Bharatiya Janata Party (BJP) on Sunday in Lucknow."
SAID = "Asim Arun joined the Bharatiya Janata Party (BJP) on Sunday"


@pytest.fixture
def joined(curator) -> Source:
    curator.post(ADD, details(text=JOINED))
    return Source.objects.get(title="Asim Arun joins the BJP")


def claim_form(source: Source, words: str = SAID, **changes) -> dict:
    start = source.text.index(words)
    return {
        "start": start,
        "end": start + len(words),
        "kind": "posting",
        "person": "asim-arun",
        "key": "bjp-member-sworn-in",
        "status": "confirmed",
        "role": "member",
        "organisation": "bjp",
        "start_date": "on Sunday",
        **changes,
    }


def claim_url(source: Source) -> str:
    return reverse("admin:records_source_claim", args=[source.pk])


def test_a_curator_makes_a_draft_claim_from_selected_words(curator, joined):
    response = curator.post(claim_url(joined), claim_form(joined))
    assert response.status_code == 302
    posting = Posting.objects.get(person__slug="asim-arun", key="bjp-member-sworn-in")
    assert (posting.role, posting.organisation.slug, posting.start, posting.status, posting.review_status) == (
        "member",
        "bjp",
        "2022-01-16",  # the Sunday before 2022-01-17
        "confirmed",
        "draft",
    )
    assert posting.drafted_by.username == "ria"
    [citation] = posting.citations.all()
    start = joined.text.index(SAID)
    assert (citation.source, citation.quote, citation.start, citation.end) == (joined, SAID, start, start + len(SAID))
    assert (citation.field, citation.said) == ("start", "on Sunday")
    # The person and the party are quoted where the suggestions found their names, in the selection.
    cited = {c.quote: c.start for c in joined.citations.exclude(pk=citation.pk)}
    assert cited == {
        "Asim Arun": joined.text.index("Asim Arun"),
        "Bharatiya Janata Party": joined.text.index("Bharatiya"),
    }
    # ...so the document's annotation can be exported, the claim in its words.
    annotation = yaml.safe_load(export_annotation(joined))
    [exported] = annotation["postings"]
    assert (exported["key"], exported["start"], exported["status"]) == ("bjp-member-sworn-in", "on Sunday", "confirmed")
    assert [p["id"] for p in annotation["persons"]] == ["asim-arun"]
    page = curator.get(workbench_url(joined)).content.decode()
    assert "a draft: public reads show it once another curator verifies it" in page
    assert "(you drafted it: another curator verifies it)" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": 0, "end": 100_000}, "Select the words of the document that say it."),
        ({"start_date": "on Monday"}, "the relative date &#x27;on Monday&#x27; must occur in one of this claim"),
        ({"start_date": "2022-13"}, "invalid date"),
        ({"person": "nobody-known"}, "No person &#x27;nobody-known&#x27;."),
        ({"role": ""}, "A posting needs this."),
        ({"kind": "candidacy"}, "A candidacy needs this."),
        ({"kind": "candidacy", "election": "up-2022", "party": "up-police"}, "&#x27;up-police&#x27; is not a party."),
        ({"key": "bjp-member"}, "key"),  # the seeds' expected membership has this key already
        ({"status": "rumoured"}, "Select a valid choice."),
    ],
)
def test_a_claim_that_does_not_hold_is_refused_and_nothing_is_written(curator, joined, changes, message):
    before = dump_records()
    response = curator.post(claim_url(joined), claim_form(joined, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert dump_records() == before


def test_only_curators_may_make_claims(curator, joined, client):
    client.force_login(staff("reader", curator=False))
    before = dump_records()
    assert client.post(claim_url(joined), claim_form(joined)).status_code == 403
    assert dump_records() == before
