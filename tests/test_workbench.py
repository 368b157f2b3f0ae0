"""The annotation workbench in the admin (issue 21): adding a document, its
workbench page with suggestions, and its annotation exported."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from records.models import Source
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
