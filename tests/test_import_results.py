"""manage.py import_results: the india60 file, CSV files, all or nothing, matching, reports.

Every refusal is a CommandError naming the file, the row and the reason, and
leaves the database exactly as it was (compared by content, not by counts).
"""

import csv
import hashlib
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from records.models import (
    Candidacy,
    Citation,
    Constituency,
    Contest,
    Election,
    OrganisationAlias,
    Party,
    Person,
    Place,
    Source,
)
from records.selectors import official_tally
from tests.conftest import dump_records

pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR / "data" / "up-assembly-2017-eci"
INDIA60 = DATA / "uttar-pradesh-2017.json"
PARTY_MAP = DATA / "party-map.csv"
COLUMNS = ["year", "constituency_number", "constituency_name", "candidate", "party", "votes"]


# -- helpers ------------------------------------------------------------------


def write_csv(folder: Path, rows: list[dict], name: str = "results.csv", columns: list[str] | None = None) -> Path:
    columns = columns or [*COLUMNS, *(c for r in rows for c in r if c not in COLUMNS)]
    columns = list(dict.fromkeys(columns))
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(path: Path, election: str = "up-2022", *args: str, **kwargs) -> str:
    out = io.StringIO()
    call_command("import_results", str(path), "--election", election, "--no-progress", *args, stdout=out, **kwargs)
    return out.getvalue()


def refuses(path: Path, match: str, election: str = "up-2022", *args: str, names: str | None = None) -> None:
    """The import fails naming the file (``names``: another file it reads) and the reason, and writes nothing."""
    before = dump_records()
    with pytest.raises(CommandError, match=match) as failure:
        run(path, election, *args)
    assert str(failure.value).startswith(f"{names or path.name}: ")
    assert dump_records() == before


def row(number: int, name: str, candidate: str, party: str, votes, **extra) -> dict:
    return {
        "year": 2022,
        "constituency_number": number,
        "constituency_name": name,
        "candidate": candidate,
        "party": party,
        "votes": votes,
        **extra,
    }


def kannauj(candidate: str = "Asim Arun", district: str = "Kannauj", **extra) -> list[dict]:
    where = {"reservation": "SC", "district": district, **extra}
    return [
        row(196, "Kannauj", candidate, "BJP", 120876, **where),
        row(196, "Kannauj", "Anil Kumar Dohare", "Samajwadi Party", 114430, **where),
        row(196, "Kannauj", "Vinita Devi", "Independent", 3402, **where),
        row(196, "Kannauj", "NOTA", "", 1124, **where),
    ]


def three_constituencies() -> list[dict]:
    """Chhibramau, Tirwa, Kannauj: rows 2-4, 5-7, 8-11 of the file."""
    return [
        row(194, "Chhibramau", "Archana Pandey", "BJP", 110000, district="Kannauj"),
        row(194, "Chhibramau", "Arvind Singh Yadav", "SP", 95000, district="Kannauj"),
        row(194, "Chhibramau", "NOTA", "", 900, district="Kannauj"),
        row(195, "Tirwa", "Kailash Singh Rajput", "BJP", 100000, district="Kannauj"),
        row(195, "Tirwa", "Anil Kumar Pal", "SP", 96000, district="Kannauj"),
        row(195, "Tirwa", "NOTA", "", 800, district="Kannauj"),
        *kannauj(),
    ]


def person_in(number: int, ballot_name: str, election: str = "up-2022") -> list[Person]:
    return [
        c.person
        for c in Candidacy.objects.filter(
            contest__election__slug=election, contest__constituency__number=number, ballot_name=ballot_name
        ).order_by("id")
    ]


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def asim(seeded) -> Person:
    return Person.objects.get(slug="asim-arun")


@pytest.fixture
def imported_2017(seeded) -> str:
    return run(INDIA60, "up-2017", "--party-map", str(PARTY_MAP))


# -- 1. the india60 file ----------------------------------------------------------


def test_the_india60_file_gives_the_official_totals(imported_2017):
    election = Election.objects.get(slug="up-2017")
    contests = Contest.objects.filter(election=election)
    assert contests.count() == 403
    assert Constituency.objects.count() == 403
    assert sorted(Constituency.objects.values_list("number", flat=True)) == list(range(1, 404))
    assert Candidacy.objects.filter(contest__election=election).count() == 4853
    assert contests.filter(nota_votes__isnull=False).count() == 403
    assert contests.filter(nota_votes__gt=0).count() == 403

    # NOTA is a count on the contest, never a candidacy, a person or a party.
    assert not Candidacy.objects.filter(ballot_name__icontains="none of the above").exists()
    assert not Person.objects.filter(search_name__in=["none of the above", "nota"]).exists()
    assert not Party.objects.filter(search_name__in=["none of the above", "nota"]).exists()
    assert Candidacy.objects.filter(contest__election=election, won=True).count() == 403

    bjp = Party.objects.get(slug="bjp")
    tally = official_tally(election)
    assert tally[bjp.pk].seats_won == 312
    assert tally[bjp.pk].votes == 34_403_039
    assert tally[bjp.pk].vote_share == Decimal("39.67")
    by_slug = {Party.objects.get(pk=pk).slug: t.seats_won for pk, t in tally.items() if t.seats_won}
    assert by_slug["sp"] == 47
    assert by_slug["bsp"] == 19
    assert by_slug["congress"] == 7

    nakur = Contest.objects.get(election=election, constituency__number=2)
    assert nakur.constituency.name == "Nakur"
    assert nakur.total_votes == 255532
    assert nakur.nota_votes == 1232
    winner = nakur.candidacies.get(won=True)
    assert (winner.ballot_name, winner.party.slug, winner.votes, winner.rank, winner.margin) == (
        "Dr.dharam Singh Saini",
        "bjp",
        94375,
        1,
        4057,
    )
    runner_up = nakur.candidacies.get(rank=2)
    assert (runner_up.ballot_name, runner_up.party.slug, runner_up.won, runner_up.margin) == (
        "Imran Masood",
        "congress",
        False,
        None,
    )
    assert nakur.candidacies.filter(party__isnull=True).count() == 5  # the independents


def test_the_party_map_ties_inc_to_the_seed_party_with_a_cited_alias(imported_2017):
    congress = Party.objects.get(slug="congress")
    assert Party.objects.filter(search_name="indian national congress").count() == 0
    alias = OrganisationAlias.objects.get(search_name="indian national congress")
    assert alias.organisation_id == congress.pk
    assert alias.name == "Indian National Congress"
    source = Source.objects.get(kind=Source.Kind.DATASET)
    assert alias.citations.filter(source=source).exclude(locator="").exists()
    assert "party aliases: 1 created" in imported_2017
    assert Candidacy.objects.filter(party=congress, contest__isnull=False).count() > 100


def test_every_imported_record_cites_the_dataset_with_a_locator(imported_2017):
    source = Source.objects.get(kind=Source.Kind.DATASET)
    assert source.sha256 == hashlib.sha256(INDIA60.read_bytes()).hexdigest()
    assert source.license.startswith("MIT")
    assert source.slug == "up-assembly-2017-eci"
    assert source.path == "data/up-assembly-2017-eci/uttar-pradesh-2017.json"

    cited = {(c.content_type_id, c.object_id) for c in Citation.objects.filter(source=source).exclude(locator="")}
    assert not Citation.objects.filter(source=source, locator="").exists()

    def uncited(queryset) -> list:
        kind = ContentType.objects.get_for_model(queryset.model, for_concrete_model=True).pk
        return [r for r in queryset if (kind, r.pk) not in cited]

    assert uncited(Constituency.objects.all()) == []
    assert uncited(Contest.objects.all()) == []
    assert uncited(Candidacy.objects.filter(contest__isnull=False)) == []
    imported_people = Person.objects.filter(imported_from=source)
    assert imported_people.count() == 4853  # nobody in the seed data stood in 2017
    assert uncited(imported_people) == []
    assert uncited(Party.objects.filter(candidacies__contest__isnull=False).distinct()) == []
    assert uncited(OrganisationAlias.objects.filter(search_name="indian national congress")) == []

    nakur_winner = Candidacy.objects.get(contest__constituency__number=2, won=True, contest__election__slug="up-2017")
    assert list(nakur_winner.citations.values_list("source_id", "locator")) == [
        (source.pk, "constituencies[0].candidates[0]")
    ]
    assert list(nakur_winner.contest.citations.values_list("locator", flat=True)) == ["constituencies[0]"]


# -- 2. idempotency ----------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(imported_2017):
    first = dump_records()
    again = run(INDIA60, "up-2017", "--party-map", str(PARTY_MAP))
    assert dump_records() == first
    assert " 0 created" in again
    for line in again.splitlines():
        if " created, " in line:
            assert line.split(": ", 1)[1].startswith("0 created"), line
            assert line.endswith(", 0 updated"), line
    assert "candidacies: 0 created, 4853 matched, 0 updated" in again


def test_importing_a_csv_twice_changes_nothing(seeded, tmp_path):
    path = write_csv(tmp_path, three_constituencies())
    first_report = run(path)
    first = dump_records()
    second_report = run(path)
    assert dump_records() == first
    assert "candidacies: 7 created" in first_report
    assert "candidacies: 0 created, 7 matched, 0 updated" in second_report
    assert "constituencies: 0 created, 3 matched, 0 updated" in second_report


# -- 3. all or nothing -----------------------------------------------------------


def _bad(change) -> list[dict]:
    rows = three_constituencies()
    change(rows)
    return rows


BAD_ROWS = {
    "votes not a number": (
        lambda rows: rows[4].update(votes="12a"),
        r"row 6: votes '12a' is not a whole number",
    ),
    "a second winner": (
        lambda rows: (rows[3].update(won="yes"), rows[4].update(won="yes")),
        r"row 6: a second winner in constituency 195",
    ),
    "a missing cell": (
        lambda rows: rows[4].update(votes=""),
        r"row 6: votes is missing",
    ),
    "an unknown reservation": (
        lambda rows: [r.update(reservation="OBC") for r in rows[3:6]],
        r"row 5: reservation 'OBC' is not GEN, SC or ST",
    ),
    "a year that is not the election's": (
        lambda rows: rows[4].update(year=2017),
        r"row 6: year 2017 is not the year of 2022 Uttar Pradesh Assembly election",
    ),
    "total votes below the votes": (
        lambda rows: [r.update(total_votes=1000) for r in rows[3:6]],
        r"row 5: total_votes 1000 is below the votes \(196800\)",
    ),
    "a constituency name that changes within the file": (
        lambda rows: rows[4].update(constituency_name="Tirva"),
        r"row 6: constituency_name differs from row 5 for the same constituency",
    ),
    "the winner without the most votes": (
        lambda rows: rows[4].update(won="yes"),
        r"row 6: marked as winner without the most votes",
    ),
    "a tie without a winner": (
        lambda rows: rows[4].update(votes=100000),
        r"row 5: a tie for first place in constituency 195; give 'won'",
    ),
    "a margin that disagrees": (
        lambda rows: rows[3].update(won="yes", margin=5),
        r"row 5: margin 5 disagrees with the votes \(4000\)",
    ),
    "two NOTA rows": (
        lambda rows: rows.insert(5, row(195, "Tirwa", "None of the above", "", 3, district="Kannauj")),
        r"row 8: a second NOTA row for this constituency",
    ),
    "votes negative": (
        lambda rows: rows[4].update(votes=-5),
        r"row 6: votes -5 is below 0",
    ),
    "a district that changes within the file": (
        lambda rows: rows[4].update(district="Farrukhabad"),
        r"row 6: district differs from row 5 for the same constituency",
    ),
    "the most votes but won is false": (
        lambda rows: [r.update(won="no") for r in rows[3:5]],
        r"row 5: the most votes in constituency 195, but won is false; mark the winner",
    ),
    "not true or false": (
        lambda rows: rows[4].update(won="maybe"),
        r"row 6: won 'maybe' is not true or false",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_in_the_middle_refuses_the_whole_file(seeded, tmp_path, case):
    change, message = BAD_ROWS[case]
    refuses(write_csv(tmp_path, _bad(change), name="bad.csv"), rf"^bad\.csv: {message}\. Nothing was imported\.$")
    assert not Constituency.objects.exists()
    assert not Source.objects.filter(kind=Source.Kind.DATASET).exists()


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_row_leaves_earlier_imports_untouched(seeded, tmp_path, case):
    run(write_csv(tmp_path, three_constituencies()[:6], name="first.csv"))  # Chhibramau and Tirwa
    change, message = BAD_ROWS[case]
    refuses(write_csv(tmp_path, _bad(change), name="bad.csv"), rf"^bad\.csv: {message}\. Nothing was imported\.$")


def test_a_missing_column_is_named(seeded, tmp_path):
    rows = [{k: v for k, v in r.items() if k != "votes"} for r in three_constituencies()]
    columns = [c for c in COLUMNS if c != "votes"] + ["reservation", "district"]
    path = write_csv(tmp_path, rows, name="bad.csv", columns=columns)
    refuses(path, r"^bad\.csv: header: missing column\(s\): votes\.")


def test_a_constituency_name_differing_from_the_database_is_refused_after_writes_began(seeded, tmp_path):
    run(write_csv(tmp_path, kannauj(), name="first.csv"))  # Kannauj, 196, is known now
    rows = three_constituencies()
    for r in rows[6:]:
        r["constituency_name"] = "Kannauj Sadar"
    # Chhibramau and Tirwa would be written before Kannauj is reached: all of it is rolled back.
    refuses(
        write_csv(tmp_path, rows, name="bad.csv"),
        r"^bad\.csv: row 8: constituency 196 is 'Kannauj' already, not 'Kannauj Sadar'\. Nothing was imported\.$",
    )
    assert set(Constituency.objects.values_list("number", flat=True)) == {196}


def test_a_file_that_only_differs_in_the_last_constituency_leaves_nothing_behind(seeded, tmp_path):
    """A failed import of a new file must not leave its Source behind."""
    run(write_csv(tmp_path, three_constituencies()[:3], name="first.csv"))
    rows = three_constituencies()
    rows[-2]["votes"] = "x"
    before = dump_records()
    with pytest.raises(CommandError, match=r"row 10: votes 'x'"):
        run(write_csv(tmp_path, rows, name="second.csv"))
    assert dump_records() == before
    assert Source.objects.filter(kind=Source.Kind.DATASET).count() == 1


# -- 4. matching candidates to people ---------------------------------------------


def test_a_candidate_in_the_district_of_their_speculated_candidacy_is_the_existing_person(asim, tmp_path):
    assert asim.candidacies.filter(election__slug="up-2022", place__slug="kannauj", contest=None).exists()
    people = Person.objects.count()
    report = run(write_csv(tmp_path, kannauj()))
    assert person_in(196, "Asim Arun") == [asim]
    assert Person.objects.count() == people + 2  # the two others are new
    assert Constituency.objects.get(number=196).district.slug == "kannauj"  # the seed district, not a new one
    assert not Place.objects.filter(slug__startswith="kannauj-").exists()
    assert "people: 2 created, 1 matched, 0 updated" in report
    assert asim.imported_from is None
    assert Person.objects.get(name="Vinita Devi").imported_from.kind == Source.Kind.DATASET


@pytest.mark.parametrize("spelling", ["ASIM ARUN", "asim arun", "Asīm Arun", "Asim  Arun", "Asim Kumar Arun"])
def test_case_accent_and_alias_variants_match_like_the_normalised_name(asim, tmp_path, spelling):
    run(write_csv(tmp_path, kannauj(candidate=spelling)))
    assert person_in(196, spelling.replace("  ", " ")) == [asim]


def test_the_same_name_in_another_district_is_a_new_person(asim, tmp_path):
    rows = [
        row(172, "Sarojini Nagar", "Asim Arun", "BJP", 100, won="yes", district="Lucknow"),
        row(172, "Sarojini Nagar", "Abhishek Mishra", "SP", 90, district="Lucknow"),
    ]
    run(write_csv(tmp_path, rows))
    (person,) = person_in(172, "Asim Arun")
    assert person != asim
    assert person.slug == "asim-arun-2"
    assert Person.objects.filter(search_name="asim arun").count() == 2


def test_the_same_name_without_a_district_is_a_new_person(asim, tmp_path):
    rows = [{k: v for k, v in r.items() if k != "district"} for r in kannauj()]
    run(write_csv(tmp_path, rows))
    assert person_in(196, "Asim Arun") != [asim]


def test_two_namesakes_in_one_contest_stay_two_people(seeded, tmp_path):
    rows = [
        row(1, "Behat", "Ram Singh", "BJP", 300, won="yes"),
        row(1, "Behat", "Ram Singh", "", 20),
        row(1, "Behat", "Umar Ali Khan", "SP", 200),
    ]
    path = write_csv(tmp_path, rows)
    run(path)
    people = person_in(1, "Ram Singh")
    assert len(set(people)) == 2
    run(path)
    assert person_in(1, "Ram Singh") == people  # and a re-import keeps them apart, in order


def test_two_namesakes_of_a_known_person_in_one_contest_are_neither_merged(asim, tmp_path):
    rows = kannauj()
    rows.insert(2, row(196, "Kannauj", "Asim Arun", "", 50, reservation="SC", district="Kannauj"))
    path = write_csv(tmp_path, rows)
    run(path)
    people = person_in(196, "Asim Arun")
    assert len(set(people)) == 2
    assert asim not in people  # which of the two is the known one cannot be told from the name
    first = dump_records()
    run(path)
    assert dump_records() == first


def test_a_name_two_people_bear_is_never_merged(asim, tmp_path):
    namesake = Person.objects.create(slug="asim-arun-other", name="Asim Arun")
    run(write_csv(tmp_path, kannauj()))
    (person,) = person_in(196, "Asim Arun")
    assert person not in (asim, namesake)
    assert Person.objects.filter(search_name="asim arun").count() == 3


def test_a_re_import_reuses_the_same_people(asim, tmp_path):
    path = write_csv(tmp_path, kannauj())
    run(path)
    before = {c.ballot_name: c.person_id for c in Candidacy.objects.filter(contest__isnull=False)}
    people = Person.objects.count()
    report = run(path)
    assert {c.ballot_name: c.person_id for c in Candidacy.objects.filter(contest__isnull=False)} == before
    assert Person.objects.count() == people
    assert "people:" not in report or "people: 0 created" in report


def test_a_person_from_an_earlier_election_in_the_same_constituency_is_matched(seeded, tmp_path):
    earlier = [
        {**r, "year": 2017}
        for r in (
            row(196, "Kannauj", "Anil Kumar Dohare", "SP", 100, won="yes"),
            row(196, "Kannauj", "Banwari Lal Dohare", "BJP", 90),
        )
    ]
    run(write_csv(tmp_path, earlier, name="2017.csv"), "up-2017")
    (dohare_2017,) = person_in(196, "Anil Kumar Dohare", "up-2017")
    run(write_csv(tmp_path, kannauj(), name="2022.csv"))
    assert person_in(196, "Anil Kumar Dohare") == [dohare_2017]
    assert person_in(196, "Asim Arun")[0].slug == "asim-arun"


def test_a_known_person_already_in_the_contest_under_another_spelling_is_not_entered_twice(asim, tmp_path):
    run(write_csv(tmp_path, kannauj(), name="first.csv"))
    # A corrected file gives the full name: the existing candidacy keys on the ballot name, so this is a
    # new candidacy; it must not be a second candidacy of Asim Arun in the same contest.
    run(write_csv(tmp_path, kannauj(candidate="Asim Kumar Arun"), name="second.csv"))
    contest = Contest.objects.get(constituency__number=196)
    persons = list(contest.candidacies.values_list("person_id", flat=True))
    assert len(persons) == len(set(persons))
    assert persons.count(asim.pk) == 1


# -- 5. parties -------------------------------------------------------------------


def test_parties_by_abbreviation_name_alias_map_or_new(seeded, tmp_path):
    rows = [
        row(10, "Shamli", "A One", "bjp", 500, won="yes"),
        row(10, "Shamli", "B Two", "Samajwadi Party", 400),
        row(10, "Shamli", "C Three", "Bharatiya Janta Party", 300),  # the seed's misspelling alias
        row(10, "Shamli", "D Four", "Jan Adhikar Party", 200),
        row(10, "Shamli", "E Five", "Independent", 100),
        row(10, "Shamli", "F Six", "", 90),
        row(10, "Shamli", "G Seven", "INC", 80),
        row(10, "Shamli", "H Eight", "IND", 70),
    ]
    party_map = tmp_path / "map.csv"
    party_map.write_text("name,party\nINC,congress\n", encoding="utf-8")
    report = run(write_csv(tmp_path, rows), "up-2022", "--party-map", str(party_map))
    parties = {c.ballot_name: c.party and c.party.slug for c in Candidacy.objects.filter(contest__isnull=False)}
    assert parties == {
        "A One": "bjp",
        "B Two": "sp",
        "C Three": "bjp",
        "D Four": "jan-adhikar-party",
        "E Five": None,
        "F Six": None,
        "G Seven": "congress",
        "H Eight": None,
    }
    assert "parties not known before, created: 1 (Jan Adhikar Party)" in report
    assert "parties: 1 created, 4 matched, 0 updated" in report
    assert Party.objects.get(slug="jan-adhikar-party").citations.exclude(locator="").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,party\nINC,no-such-party\n", r"^map\.csv: row 2: no party with slug 'no-such-party'"),
        ("name,slug\nINC,congress\n", r"^map\.csv: the header must be 'name,party'"),
        ("", r"^map\.csv: the header must be 'name,party'"),
        ("name,party\nINC\n", r"^map\.csv: row 2: "),
        ("name,party\n\udcff\n", r"^map\.csv: "),
    ],
)
def test_a_bad_party_map_is_a_clear_error(seeded, tmp_path, content, message):
    party_map = tmp_path / "map.csv"
    party_map.write_bytes(content.encode("utf-8", "surrogateescape"))
    refuses(write_csv(tmp_path, kannauj()), message, "up-2022", "--party-map", str(party_map), names="map.csv")


def test_the_party_map_wins_over_a_party_created_by_an_earlier_import(seeded, tmp_path):
    rows = kannauj()
    rows[2]["party"] = "Indian National Congress"
    path = write_csv(tmp_path, rows)
    run(path)  # without the map: a new party
    assert person_in(196, "Vinita Devi")[0].candidacies.get().party.slug == "indian-national-congress"
    report = run(path, "up-2022", "--party-map", str(PARTY_MAP))
    assert person_in(196, "Vinita Devi")[0].candidacies.get().party.slug == "congress"
    assert "candidacies: 0 created, 2 matched, 1 updated" in report
    assert "party aliases: 1 created" in report


def test_a_party_map_with_a_bom_is_read(seeded, tmp_path):
    party_map = tmp_path / "map.csv"
    party_map.write_text("\ufeffname,party\nINC,congress\n", encoding="utf-8")
    rows = kannauj()
    rows[2]["party"] = "INC"
    run(write_csv(tmp_path, rows), "up-2022", "--party-map", str(party_map))
    assert person_in(196, "Vinita Devi")[0].candidacies.get().party.slug == "congress"


def test_a_party_map_giving_one_name_two_parties_is_a_clear_error(seeded, tmp_path):
    party_map = tmp_path / "map.csv"
    party_map.write_text("name,party\nINC,congress\ninc,bjp\n", encoding="utf-8")
    message = r"^map\.csv: row 3: 'inc' is mapped already \(row 2\)"
    refuses(write_csv(tmp_path, kannauj()), message, "up-2022", "--party-map", str(party_map), names="map.csv")


def test_a_missing_party_map_is_a_clear_error(seeded, tmp_path):
    missing = tmp_path / "no-map.csv"
    refuses(write_csv(tmp_path, kannauj()), r"no such file", "up-2022", "--party-map", str(missing), names="no-map.csv")


# -- 6. the report and progress -------------------------------------------------------


def test_the_report_counts_each_kind_and_ends_with_a_success_line(asim, tmp_path):
    report = run(write_csv(tmp_path, three_constituencies(), name="three.csv"))
    lines = report.splitlines()
    assert "candidacies: 7 created, 0 matched, 0 updated" in lines
    assert "constituencies: 3 created, 0 matched, 0 updated" in lines
    assert "contests: 3 created, 0 matched, 0 updated" in lines
    assert "people: 6 created, 1 matched, 0 updated" in lines
    assert "parties: 0 created, 3 matched, 0 updated" in lines
    assert "NOTA counts recorded on contests (not as candidates): 3" in lines
    assert lines[-1] == "Imported three.csv into 2022 Uttar Pradesh Assembly election (source three)."


def test_a_changed_vote_count_is_reported_as_updated(seeded, tmp_path):
    rows = three_constituencies()
    run(write_csv(tmp_path, rows, name="first.csv"))
    stamps = dict(Candidacy.objects.values_list("ballot_name", "updated_at"))
    rows[1]["votes"] = 95001
    report = run(write_csv(tmp_path, rows, name="second.csv"))
    after = dict(Candidacy.objects.values_list("ballot_name", "updated_at"))
    assert {name for name in after if after[name] != stamps[name]} == {"Arvind Singh Yadav", "Archana Pandey"}
    assert "candidacies: 0 created, 5 matched, 2 updated" in report  # a vote and the winner's margin
    assert "contests: 0 created, 2 matched, 1 updated" in report
    assert Candidacy.objects.get(ballot_name="Arvind Singh Yadav").votes == 95001


def test_the_progress_bar_is_shown_only_on_a_terminal(seeded, tmp_path, monkeypatch):
    path = write_csv(tmp_path, three_constituencies())
    for stream, flags, shown in (
        (FakeTTY(), [], True),
        (FakeTTY(), ["--no-progress"], False),
        (io.StringIO(), [], False),
    ):
        monkeypatch.setattr(sys, "stderr", stream)
        out = io.StringIO()
        call_command("import_results", str(path), "--election", "up-2022", *flags, stdout=out)
        assert ("constituencies: 100%" in stream.getvalue()) is shown, flags
        assert "Imported results.csv" in out.getvalue()


def test_the_2017_file_is_refused_for_the_2022_election(seeded):
    refuses(
        INDIA60,
        r"^uttar-pradesh-2017\.json: constituencies\[0\]\.candidates\[0\]: year 2017 is not the year of 2022 ",
    )


def test_an_unknown_election_or_file_is_a_clear_error(seeded, tmp_path):
    path = write_csv(tmp_path, kannauj())
    with pytest.raises(CommandError, match=r"No election with slug 'up-2099'"):
        run(path, "up-2099")
    with pytest.raises(CommandError, match=r"no such file"):
        run(tmp_path / "nothing.csv")


# -- 7. edge cases ----------------------------------------------------------------


HEADER = ",".join(COLUMNS) + "\n"
GOOD = "2022,196,Kannauj,Asim Arun,BJP,120876\n2022,196,Kannauj,Anil Kumar Dohare,SP,114430\n"

BAD_FILES = {
    "an empty file": (b"", r"file: empty \(not even a header\)"),
    "a header only": (HEADER.encode(), r"no rows"),
    "more cells than columns": ((HEADER + GOOD + "2022,196,Kannauj,X,,5,7\n").encode(), r"row 4: more cells"),
    "negative votes": ((HEADER + GOOD + "2022,196,Kannauj,X,,-5\n").encode(), r"row 4: votes -5 is below 0"),
    "a double minus": ((HEADER + GOOD + "2022,196,Kannauj,X,,--5\n").encode(), r"row 4: votes '--5' is not"),
    "Arabic-Indic digits": (
        (HEADER + GOOD + "2022,196,Kannauj,X,,١٢\n").encode(),
        r"row 4: votes '١٢' is not a whole number",
    ),
    "Devanagari digits": (
        (HEADER + GOOD + "2022,196,Kannauj,X,,१२\n").encode(),
        r"row 4: votes '१२' is not a whole number",
    ),
    "full-width digits": (
        (HEADER + GOOD + "2022,196,Kannauj,X,,\uff11\uff12\n").encode(),
        "row 4: votes '\uff11\uff12' is not",
    ),
    "a huge number": (
        (HEADER + GOOD + "2022,196,Kannauj,X,,99999999999999999999\n").encode(),
        r"row 4: votes 99999999999999999999 is too large",
    ),
    "a number of 5000 digits": ((HEADER + GOOD + "2022,196,Kannauj,X,,").encode() + b"9" * 5000, r"row 4: votes "),
    "a constituency number too large": (
        (HEADER + "2022,40000,Kannauj,X,,5\n").encode(),
        r"row 2: constituency_number 40000 is too large",
    ),
    "a constituency number of 0": ((HEADER + "2022,0,Kannauj,X,,5\n").encode(), r"row 2: constituency_number 0"),
    "a decimal vote count": ((HEADER + GOOD + "2022,196,Kannauj,X,,5.5\n").encode(), r"row 4: votes '5.5' is not"),
    "not UTF-8": ((HEADER + "2022,196,Kann\xe4uj,X,,5\n").encode("latin-1"), r"not UTF-8"),
    "UTF-16": ((HEADER + GOOD).encode("utf-16"), r"not UTF-8"),
    "a NUL byte": ((HEADER + GOOD + "2022,196,Kannauj,X\x00Y,,5\n").encode(), r"row 4: candidate "),
    "a cell too large for the csv module": (
        (HEADER + GOOD + '2022,196,Kannauj,"' + "x" * 200_000 + '",,5\n').encode(),
        r"row 4: ",
    ),
    "a name too long": ((HEADER + GOOD + "2022,196,Kannauj," + "x" * 400 + ",,5\n").encode(), r"row 4: candidate"),
    "a constituency name too long for its column": (
        (HEADER + "2022,196," + "k" * 250 + ",X,,5\n").encode(),
        r"row 2: constituency_name ",
    ),
    "a duplicate column": (
        (HEADER.strip() + ",votes\n" + "2022,196,Kannauj,X,,5,6\n").encode(),
        r"header: column\(s\) given twice: votes",
    ),
    "an unknown column": ((HEADER.strip() + ",colour\n2022,196,Kannauj,X,,5,red\n").encode(), r"colour"),
    "no candidate, only NOTA": ((HEADER + "2022,196,Kannauj,NOTA,,5\n").encode(), r"row 2: a constituency without"),
    "electors below the votes counted": (
        (HEADER.strip() + ",electors\n2022,196,Kannauj,X,,50,10\n2022,196,Kannauj,Y,,5,10\n").encode(),
        r"row 2: electors 10 is below the votes \(55\)",
    ),
    "an unterminated quote": ((HEADER + '2022,196,Kannauj,"X,,5\n').encode(), r"row 2: not readable as CSV"),
    "a stray quote": ((HEADER + '2022,196,Kannauj,"X" Y,,5\n').encode(), r"row 2: not readable as CSV"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_malformed_csv_is_a_clear_error_and_writes_nothing(seeded, tmp_path, case):
    content, message = BAD_FILES[case]
    path = tmp_path / "edge.csv"
    path.write_bytes(content)
    refuses(path, message)


def test_a_byte_order_mark_and_blank_lines_are_fine_and_rows_keep_their_line_numbers(seeded, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + GOOD + "\n,,,,,\n").encode())
    run(path)
    assert Contest.objects.get(constituency__number=196).candidacies.count() == 2
    path.write_bytes(("\ufeff" + HEADER + GOOD + "\n2022,196,Kannauj,X,,x\n").encode())
    refuses(path, r"row 5: votes 'x' is not a whole number")


JSON_CASES = {
    "not JSON": (b"module.exports = {};", r"^edge\.json: file: not JSON"),
    "a list": (b"[]", r"file: expected an object with a 'constituencies' list"),
    "no constituencies": (b'{"year": 2022}', r"file: expected an object with a 'constituencies' list"),
    "no rows": (b'{"year": 2022, "constituencies": []}', r"no rows"),
    "candidates not a list": (
        b'{"year": 2022, "constituencies": [{"candidates": {}}]}',
        r"constituencies\[0\]: expected an object with a 'candidates' list",
    ),
    "a candidate not an object": (
        b'{"year": 2022, "constituencies": [{"constituencyId": 1, "name": "Behat", "candidates": ["x"]}]}',
        r"constituencies\[0\]\.candidates\[0\]: expected an object",
    ),
    "a name that is not text": (
        json.dumps(
            {
                "year": 2022,
                "constituencies": [
                    {"constituencyId": 1, "name": "Behat", "candidates": [{"name": {"a": 1}, "votes": 5}]}
                ],
            }
        ).encode(),
        r"constituencies\[0\]\.candidates\[0\]: candidate \{'a': 1\} is not text",
    ),
    "votes as a float": (
        json.dumps(
            {
                "year": 2022,
                "constituencies": [{"constituencyId": 1, "name": "Behat", "candidates": [{"name": "X", "votes": 5.5}]}],
            }
        ).encode(),
        r"candidates\[0\]: votes 5\.5 is not a whole number",
    ),
    "votes as a boolean": (
        json.dumps(
            {
                "year": 2022,
                "constituencies": [
                    {"constituencyId": 1, "name": "Behat", "candidates": [{"name": "X", "votes": True}]}
                ],
            }
        ).encode(),
        r"candidates\[0\]: votes True is not a whole number",
    ),
    "no year": (
        json.dumps(
            {"constituencies": [{"constituencyId": 1, "name": "Behat", "candidates": [{"name": "X", "votes": 5}]}]}
        ).encode(),
        r"candidates\[0\]: year is missing",
    ),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, r"file: not JSON"),
    "not UTF-8": (b'{"year": "\xff"}', r"file: not JSON"),
}


@pytest.mark.parametrize("case", sorted(JSON_CASES))
def test_a_json_file_of_the_wrong_shape_is_a_clear_error_and_writes_nothing(seeded, tmp_path, case):
    content, message = JSON_CASES[case]
    path = tmp_path / "edge.json"
    path.write_bytes(content)
    refuses(path, message)


def test_a_changed_file_with_the_same_name_gets_its_own_source(seeded, tmp_path):
    path = write_csv(tmp_path, kannauj())
    run(path)
    rows = kannauj()
    rows[2]["votes"] = 3403
    write_csv(tmp_path, rows)  # same name, same folder, other bytes
    run(path)
    assert sorted(Source.objects.filter(kind=Source.Kind.DATASET).values_list("slug", flat=True)) == [
        "results",
        "results-2",
    ]
    rows[2]["votes"] = 3404
    refuses(
        write_csv(tmp_path, rows),
        r"source slug 'results' is already used by another file",
        "up-2022",
        "--source-slug",
        "results",
    )
    with pytest.raises(CommandError, match=r"--source-slug 'Not a slug' is not a slug"):
        run(path, "up-2022", "--source-slug", "Not a slug")


def test_a_contest_without_a_known_total_does_not_inflate_vote_shares(seeded, tmp_path):
    from records.selectors import official_tally

    rows = [
        {
            "year": 2017,
            "constituency_number": 1,
            "constituency_name": "A",
            "candidate": "X",
            "party": "BJP",
            "votes": 60,
        },
        {
            "year": 2017,
            "constituency_number": 1,
            "constituency_name": "A",
            "candidate": "Y",
            "party": "SP",
            "votes": 40,
        },
        {
            "year": 2017,
            "constituency_number": 2,
            "constituency_name": "B",
            "candidate": "Z",
            "party": "BJP",
            "votes": 50,
        },
    ]
    run(write_csv(tmp_path, rows), "up-2017")
    Contest.objects.filter(constituency__number=2).update(total_votes=None)
    bjp = official_tally(Election.objects.get(slug="up-2017"))[Party.objects.get(slug="bjp").pk]
    assert (bjp.seats_won, bjp.votes, str(bjp.vote_share)) == (2, 110, "60.00")
