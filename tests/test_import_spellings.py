"""A results file that spells constituencies differently from the database
imports in one run: each new spelling of a known constituency becomes one of
its aliases, citing the file; only a name unrelated to the number's
constituency is refused, and every such conflict of the file is named at once."""

from __future__ import annotations

import pytest
from django.conf import settings

from records.importers.party_names import PARTY_NAMES, derive_party_names, load_party_names
from records.models import Citation, Constituency, ConstituencyAlias, Contest, OrganisationAlias, Party, Source
from records.text import normalise_name, same_place_name
from tests.api import get_json
from tests.test_import_results import refuses, row, run, write_csv

API = "/api/v1"

# 2017 names (the module's data) and how a 2022 dataset spells them.
SPELLINGS_2022 = {
    14: ("Muzaffar Nagar", "MUZAFFARNAGAR"),
    159: ("Bilgram", "BILGRAM-MALLANWAN"),
    206: ("Akbarpur", "AKBARPUR-RANIYA"),
    326: ("Chauri", "CHAURI-CHAURA"),
    47: ("Meerut Cantt.", "MEERUT CANTT"),  # the same name but for case and punctuation: no alias
}


@pytest.fixture
def results(results_2017, db):
    """The seeds and the 2017 results (loaded once for the module)."""


def rows_2022(names: dict[int, str]) -> list[dict]:
    out = []
    for number, name in names.items():
        out += [
            row(number, name, f"Candidate A{number}", "BJP", 90000 + number),
            row(number, name, f"Candidate B{number}", "SP", 80000 + number),
            row(number, name, "NOTA", "", 700),
        ]
    return out


def test_the_2017_names_are_the_ones_this_test_expects(results):
    for number, (known, _) in SPELLINGS_2022.items():
        assert Constituency.objects.get(jurisdiction__slug="uttar-pradesh", number=number).name == known


def test_a_file_spelling_constituencies_differently_imports_in_one_run(results, tmp_path, client):
    path = write_csv(tmp_path, rows_2022({n: spelled for n, (_, spelled) in SPELLINGS_2022.items()}), "up-2022.csv")
    report = run(path)
    assert "constituency aliases: 4 created, 0 matched, 0 updated" in report
    source = Source.objects.get(sha256__isnull=False, path__endswith="up-2022.csv")
    for number, (known, spelled) in SPELLINGS_2022.items():
        constituency = Constituency.objects.get(jurisdiction__slug="uttar-pradesh", number=number)
        assert constituency.name == known  # the record keeps its name
        assert Contest.objects.filter(constituency=constituency, election__slug="up-2022").exists()
        aliases = list(constituency.aliases.all())
        if number == 47:
            assert aliases == []
            continue
        assert [a.name for a in aliases] == [spelled]
        cited = Citation.objects.filter(source=source, object_id=aliases[0].pk)
        assert cited.filter(content_type__model="constituencyalias").count() == 1

    # Through the API: the alias in the record, with its source, and found by q.
    body = get_json(client, f"{API}/constituencies/", q="muzaffarnagar")
    assert [c["number"] for c in body["results"]] == [14]
    (alias,) = body["results"][0]["aliases"]
    assert alias["name"] == "MUZAFFARNAGAR"
    assert alias["citations"][0]["source"] == source.pk
    assert [c["number"] for c in get_json(client, f"{API}/constituencies/", q="Mallanwan")["results"]] == [159]

    # The same file again: nothing new, the aliases are matched.
    again = run(path)
    assert "constituency aliases: 0 created, 4 matched, 0 updated" in again
    assert ConstituencyAlias.objects.count() == 4


def test_every_unrelated_name_of_a_file_is_refused_in_one_run(results, tmp_path):
    names = {14: "MUZAFFARNAGAR", 159: "Sandila", 206: "Kannauj Sadar", 326: "CHAURI-CHAURA"}
    refuses(
        write_csv(tmp_path, rows_2022(names), name="bad.csv"),
        r"^bad\.csv: row 5: constituency 159 is 'Bilgram' already, not 'Sandila'; "
        r"row 8: constituency 206 is 'Akbarpur' already, not 'Kannauj Sadar' \(2 rows\)\. Nothing was imported\.$",
    )
    assert not ConstituencyAlias.objects.exists()  # not even the spellings that would have matched


@pytest.mark.parametrize(
    ("known", "given", "same"),
    [
        ("Muzaffar Nagar", "MUZAFFARNAGAR", True),
        ("Bilgram", "BILGRAM-MALLANWAN", True),
        ("BILGRAM-MALLANWAN", "Bilgram", True),
        ("Meerut Cantt.", "MEERUT CANTT", True),
        ("Sandeela", "SANDILA", True),  # romanisation: ee/i
        ("Kannauj", "Kannauj Sadar", False),  # begins like it, but another name
        ("Akbarpur", "Raniya", False),
        ("Hathras", "MAHAMAYA NAGAR", False),  # a former name: a documented list knows it, no spelling rule
        ("Nakur", "Behat", False),
    ],
)
def test_which_names_are_spellings_of_one_place(known, given, same):
    assert same_place_name(known, given) is same


# -- parties: abbreviations resolve through the shipped reference list -----------


def test_abbreviations_find_the_parties_another_file_names_in_full(results, tmp_path):
    rld = Party.objects.get(name="Rashtriya Lok Dal")  # created by the 2017 file, in full
    congress = Party.objects.get(aliases__name="Indian National Congress")  # the seeds' Congress
    parties = Party.objects.count()
    rows = [
        row(14, "Muzaffar Nagar", "Candidate One", "RLD", 500),
        row(14, "Muzaffar Nagar", "Candidate Two", "INC", 400),
        row(14, "Muzaffar Nagar", "Candidate Three", "SHS", 300),
    ]
    report = run(write_csv(tmp_path, rows, "abbreviated.csv"))
    assert Party.objects.count() == parties, report  # no duplicate party
    assert "parties not known before" not in report
    contest = Contest.objects.get(election__slug="up-2022", constituency__number=14)
    by_ballot = {c.ballot_name: c.party for c in contest.candidacies.select_related("party")}
    assert by_ballot["Candidate One"] == rld
    assert by_ballot["Candidate Two"] == congress
    assert by_ballot["Candidate Three"].name == "Shivsena"
    alias = OrganisationAlias.objects.get(organisation=rld, name="RLD")
    assert alias.kind == "abbreviation"
    assert alias.citations.get().source.path.endswith("abbreviated.csv")


def test_a_new_party_known_only_by_its_abbreviation_gets_its_full_name(seed_data, db, tmp_path):
    assert not Party.objects.filter(name="Rashtriya Lok Dal").exists()
    report = run(write_csv(tmp_path, [row(5, "Someplace", "A Candidate", "RLD", 10)]))
    party = Party.objects.get(abbreviation="RLD")
    assert party.name == "Rashtriya Lok Dal"
    assert party.slug == "rashtriya-lok-dal"
    assert "parties not known before, created: 1 (Rashtriya Lok Dal)" in report


def test_the_shipped_party_names_are_what_the_datasets_give():
    affidavits = settings.BASE_DIR.parent / "shared" / "data" / "up-affidavits-myneta"
    affidavits = affidavits / "uttar-pradesh-candidates-2007-2017.csv"
    if not affidavits.is_file():
        pytest.skip(f"no affidavits dataset at {affidavits.parent} on this machine")
    results_file = settings.BASE_DIR / "data" / "up-assembly-2017-eci" / "uttar-pradesh-2017.json"
    derived = {e.abbreviation: e.name for e in derive_party_names(results_file, affidavits)}
    shipped = load_party_names(PARTY_NAMES)
    assert {normalise_name(k): v for k, v in derived.items()} == shipped
    assert derived["INC"] == "Indian National Congress"
    assert "IND" not in derived  # independents are no party
