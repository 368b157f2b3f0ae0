"""Annotation suggestions (records/suggestions): what a curator sees offered
over a text, with exact offsets, against the seed data's records."""

from __future__ import annotations

import dataclasses
from datetime import date
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from records.models import ClaimStatus, Constituency, Place
from records.suggestions import Kind, suggest
from records.suggestions.measure import expected, measure, read

PUBLISHED = date(2022, 1, 10)  # a Monday, as the seeds


def at(suggestions, surface: str, kind: str | None = None):
    """The one suggestion whose span is ``surface`` (of ``kind`` if given)."""
    found = [s for s in suggestions if s.surface == surface and (kind is None or s.kind == kind)]
    assert len(found) == 1, f"{surface!r}: {[(s.kind, s.surface) for s in suggestions]}"
    return found[0]


def slug(suggestion) -> str | None:
    return suggestion.record.slug if suggestion.record else None


@pytest.mark.parametrize(
    ("text", "surface", "kind", "record"),
    [
        ("The officer Asim Arun met reporters.", "Asim Arun", Kind.PERSON, "asim-arun"),
        ("Asim Kumar Arun, a 1994 batch officer, spoke.", "Asim Kumar Arun", Kind.PERSON, "asim-arun"),
        ("Then Aseem Arun spoke.", "Aseem Arun", Kind.PERSON, "asim-arun"),  # spelling key: ee/i
        ("Then Akhilesh Yadava spoke.", "Akhilesh Yadava", Kind.PERSON, "akhilesh-yadav"),  # the matcher's variant
        ("The BJP won.", "BJP", Kind.PARTY, "bjp"),
        ("He joined the Bharatiya Janta Party.", "Bharatiya Janta Party", Kind.PARTY, "bjp"),
        ("He led the KANPUR POLICE.", "KANPUR POLICE", Kind.ORGANISATION, "kanpur-police"),
        ("A native of KANNAUJ spoke.", "KANNAUJ", Kind.PLACE, "kannauj"),
        ("Born in central UP, he rose.", "UP", Kind.PLACE, "uttar-pradesh"),
        ("He was the Chief of UP ATS.", "UP ATS", Kind.ORGANISATION, "up-ats"),
    ],
)
def test_known_records_are_found_by_name_alias_abbreviation_and_spelling(seeded, text, surface, kind, record):
    suggestion = at(suggest(text, PUBLISHED), surface)
    assert (suggestion.kind, slug(suggestion)) == (kind, record)
    assert 0 < suggestion.score <= 1


def test_the_longest_known_name_wins_and_a_name_variant_scores_below_the_name(seeded):
    suggestions = suggest("Kanpur police commissioner Asim Arun, or Aseem Arun.", PUBLISHED)
    assert [s.surface for s in suggestions if s.kind in Kind.KNOWN] == ["Kanpur police", "Asim Arun", "Aseem Arun"]
    assert at(suggestions, "Aseem Arun").score < at(suggestions, "Asim Arun").score == 1.0


def test_a_rank_abbreviation_is_no_party_unless_bracketed_after_the_party_name(seeded):
    text = "He served as SP in Garhwal. The Samajwadi Party (SP) bagged 47 seats."
    suggestions = suggest(text, PUBLISHED)
    assert [(s.start, slug(s)) for s in suggestions if s.surface == "SP"] == [(text.index("(SP)") + 1, "sp")]


def test_a_surname_after_a_title_is_the_person_the_text_names_in_full(seeded):
    mister = at(suggest("Asim Arun resigned. Mr Arun said so.", PUBLISHED), "Arun")
    assert (mister.kind, slug(mister), mister.ambiguous) == (Kind.PERSON, "asim-arun", False)
    # Two people of the text bear the word: both are candidates, neither is picked.
    mister = at(suggest("Asim Arun resigned. Mr Arun said so. Arun Ram did not.", PUBLISHED), "Arun")
    assert {c.slug for c in mister.candidates} == {"asim-arun", "arun-ram"}
    assert mister.ambiguous


def test_a_lone_word_is_no_person_unless_it_is_the_whole_name_or_the_text_names_them(seeded):
    suggestions = suggest("Arun was there. Mayawati was not.", PUBLISHED)
    assert slug(at(suggestions, "Mayawati")) == "mayawati"
    assert not [s for s in suggestions if s.surface == "Arun"]


@pytest.fixture
def kannauj_seats(seeded):
    uttar_pradesh = Place.objects.get(slug="uttar-pradesh")
    elsewhere = Place.objects.create(slug="elsewhere", name="Elsewhere", kind=Place.Kind.STATE)
    reserved = Constituency.objects.create(
        slug="up-196-kannauj", jurisdiction=uttar_pradesh, number=196, name="Kannauj", reservation="SC"
    )
    general = Constituency.objects.create(
        slug="elsewhere-9-kannauj", jurisdiction=elsewhere, number=9, name="Kannauj", reservation="GEN"
    )
    return reserved, general


def test_a_reservation_suffix_names_the_constituency_reserved_so(kannauj_seats):
    reserved, _ = kannauj_seats
    text = "The BJP fielded him from the Kannauj (SC) seat; Kannauj district is his home."
    suggestions = suggest(text, PUBLISHED)
    seat = at(suggestions, "Kannauj (SC)")
    assert seat.kind == Kind.CONSTITUENCY
    assert seat.record.pk == reserved.pk
    assert [c.slug for c in seat.candidates] == ["up-196-kannauj"]  # not the general seat of the name
    district = at(suggestions, "Kannauj")
    assert district.kind == Kind.PLACE
    assert slug(district) == "kannauj"
    assert {c.slug for c in district.candidates} == {"kannauj", "up-196-kannauj", "elsewhere-9-kannauj"}
    seat = at(suggest("He contests the Kannauj seat.", PUBLISHED), "Kannauj")
    assert seat.kind == Kind.CONSTITUENCY
    assert seat.ambiguous


def test_a_reservation_suffix_with_no_such_constituency_recorded_still_says_constituency(seeded):
    seat = at(suggest("He was fielded from Kannauj (SC).", PUBLISHED), "Kannauj (SC)")
    assert seat.kind == Kind.CONSTITUENCY
    assert seat.record is None
    assert seat.notes


@pytest.mark.parametrize(
    ("published", "words", "value", "rule"),
    [
        (PUBLISHED, "on Saturday", "2022-01-08", "weekday"),
        (date(2022, 1, 17), "on Saturday", "2022-01-15", "weekday"),
        (PUBLISHED, "last night", "2022-01-09", "day"),
        (PUBLISHED, "last year", "2021", "year or month"),
        (date(2023, 6, 1), "last year", "2022", "year or month"),
        (PUBLISHED, "February 10", "2022-02-10", "day and month"),
        (PUBLISHED, "in March 2021", "2021-03", "month and year"),
        (PUBLISHED, "between 2011-12", "2011/2012", "year range"),
        (PUBLISHED, "a 1994 batch", "1994", "year"),
        (PUBLISHED, "five years ago", "2017", "years ago"),
        (PUBLISHED, "Asim Arun (51)", "1970-01-11/1971-01-10", "age"),
        (date(2024, 3, 1), "Asim Arun (51)", "1972-03-02/1973-03-01", "age"),
    ],
)
def test_dates_are_resolved_against_the_publication_date(seeded, published, words, value, rule):
    text = f"It happened, he said, {words}."
    dates = [s for s in suggest(text, published) if s.kind == Kind.DATE]
    assert len(dates) == 1, dates
    assert (dates[0].date.value, dates[0].rule) == (value, rule)
    assert dates[0].surface in words
    assert dates[0].date.earliest <= dates[0].date.latest


def test_without_a_publication_date_relative_words_stay_unresolved_and_years_do_not(seeded):
    suggestions = suggest("On Saturday, in 2021, he left.", None)
    assert at(suggestions, "On Saturday").date.value == ""
    assert at(suggestions, "On Saturday").notes
    assert at(suggestions, "2021").date.value == "2021"


@pytest.mark.parametrize(
    ("text", "cue", "status"),
    [
        ("He is likely to join the BJP.", "is likely to", ClaimStatus.EXPECTED),
        ("He is expected to contest.", "is expected to", ClaimStatus.EXPECTED),
        ("There is speculation that he could contest.", "There is speculation", ClaimStatus.SPECULATED),
        ("But sources said he has asked the government.", "sources said", ClaimStatus.REPORTED),
        ("He announced his retirement.", "announced", ClaimStatus.ANNOUNCED),
        ("The party confirmed his candidacy.", "confirmed", ClaimStatus.CONFIRMED),
    ],
)
def test_certainty_cues_map_to_claim_statuses(seeded, text, cue, status):
    suggestion = at(suggest(text, PUBLISHED), cue, Kind.CUE)
    assert suggestion.status == status


def test_hedges_that_are_not_cues_are_not_suggested(seeded):
    assert not [s for s in suggest("Congress could manage to win only seven seats.", PUBLISHED) if s.kind == Kind.CUE]


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("He met Shri Ramesh Chandra Tiwari on Monday.", "Ramesh Chandra Tiwari", Kind.NEW_PERSON),
        ("A photograph of Kamla Devi Verma went viral.", "Kamla Devi Verma", Kind.NEW_PERSON),
        ("He wrote to the Ministry of Home Affairs.", "Ministry of Home Affairs", Kind.NEW_ORGANISATION),
        ("The Rashtriya Lok Dal said no.", "Rashtriya Lok Dal", Kind.NEW_ORGANISATION),
    ],
)
def test_unknown_capitalised_names_are_possible_new_people_or_organisations(seeded, text, surface, kind):
    suggestion = at(suggest(text, PUBLISHED), surface)
    assert suggestion.kind == kind
    assert suggestion.record is None


@pytest.mark.parametrize(
    "text",
    [
        "Police websites still list him. Minutes after, nothing.",
        "He retired in March. On Monday he met Covid patients on Facebook.",
        "He was the Director General of Police and the District Police Chief.",
        "Chief Minister and Prime Minister met.",
    ],
)
def test_sentence_starts_months_titles_and_common_words_are_not_new_names(seeded, text):
    assert not [s for s in suggest(text, PUBLISHED) if s.kind in Kind.NEW]


NAMES = ["Asim Arun", "BJP", "Kannauj (SC)", "UP", "Brij Lal", "Shri Ram Kumar", "Ministry of Home Affairs"]
FILLERS = ["\u201c", "\u201d", "\u2019s", "\n", "\n\n", " \u2014 ", "\u00e9t\u00e9 ", "\U0001f600", "(51)", ", ", ". "]
WORDS = ["on Saturday", "last year", "is likely to", "sources said", "2011-12", "March 2021", "the", "A\u0301sim"]


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(NAMES + FILLERS + WORDS) | st.text(max_size=6), max_size=25))
def test_offsets_are_exact_on_any_text(seeded, pieces):
    text = " ".join(pieces)
    for suggestion in suggest(text, PUBLISHED):
        assert text[suggestion.start : suggestion.end] == suggestion.surface
        assert suggestion.start < suggestion.end


def test_offsets_are_exact_on_the_seed_documents(seeded):
    for path in sorted((settings.BASE_DIR / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        suggestions = suggest(text, PUBLISHED)
        assert suggestions
        assert all(text[s.start : s.end] == s.surface for s in suggestions)


def test_the_queries_do_not_grow_with_the_names_in_the_text(seeded):
    short = "Asim Arun met Brij Lal of the BJP in Kanpur."
    long = " ".join([short, "Mayawati's Bahujan Samaj Party and Akhilesh Yadav in Agra, Aligarh and Hathras."] * 5)
    counts = []
    for text in (short, long):
        with CaptureQueriesContext(connection) as queries:
            suggest(text, PUBLISHED)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_another_language_is_refused(seeded):
    with pytest.raises(ValueError, match="no suggestion rules for language 'hi'"):
        suggest("Asim Arun", PUBLISHED, language="hi")


# -- the measurement ------------------------------------------------------------------


def test_the_seed_annotations_give_the_expected_mentions_dates_and_cues(seeded):
    doc = read(settings.BASE_DIR / "seeds" / "002_2c5037d3f0a176ad.txt")
    items = expected(doc)
    assert {(i.surface, i.record) for i in items if i.kind == Kind.PERSON} >= {
        ("Asim Kumar Arun", "asim-arun"),
        ("Brij Lal", "brij-lal"),
    }
    assert ("last year", "2021") in {(i.surface, i.value) for i in items if i.kind == Kind.DATE}
    assert any(i.status == ClaimStatus.REPORTED and "sources say" in i.surface for i in items if i.kind == Kind.CUE)


def test_the_measure_counts_a_wrong_suggestion_against_precision_and_a_missing_one_against_recall(seeded):
    doc = read(settings.BASE_DIR / "seeds" / "002_2c5037d3f0a176ad.txt")
    suggestions = suggest(doc.text, doc.published_on)
    honest = measure(doc, suggestions)
    brij_lal = next(s for s in suggestions if s.record and s.record.slug == "brij-lal")
    mayawati = next(s for s in suggestions if s.record and s.record.slug == "mayawati")
    # Brij Lal's span said to be Mayawati: right kind, wrong record.
    wrong = dataclasses.replace(brij_lal, record=mayawati.record, candidates=(mayawati.record,))
    with_a_mistake = measure(doc, [*suggestions, wrong])
    assert with_a_mistake.precision(Kind.PERSON) < honest.precision(Kind.PERSON)
    assert with_a_mistake.precision() < honest.precision()
    without_people = measure(doc, [s for s in suggestions if s.kind != Kind.PERSON])
    assert without_people.recall(Kind.PERSON) == 0 < honest.recall(Kind.PERSON)
    assert without_people.recall() < honest.recall()


def test_measure_suggestions_prints_precision_and_recall_per_kind(seeded):
    out = StringIO()
    call_command("measure_suggestions", stdout=out)
    text = out.getvalue()
    assert "000_b84d1872df6a742e.txt" in text
    assert "004_story_fielded.txt" in text
    overall = [line.split() for line in text.splitlines() if line.strip().startswith("all")][-1]
    precision, recall = float(overall[3]), float(overall[6])
    assert 0.5 < precision <= 1
    assert 0.5 < recall <= 1
