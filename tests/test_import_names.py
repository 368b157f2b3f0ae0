"""Names on import: records created from a file written in capitals get
readable names; a district under another spelling or a documented former
name joins the district the records know (the file's spelling becomes one of
its other names, citing the file); an alias that names another record is
refused, in the importer, the write API and the admin."""

from __future__ import annotations

import pytest
from django.conf import settings

from records.importers.district_names import FORMER_NAMES, derive_former_names, load_former_names
from records.importers.districts import same_district_name
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    ConstituencyAlias,
    Person,
    PersonAlias,
    Place,
    Source,
)
from records.readable import readable_name
from tests.test_admin import admin_url, form_data
from tests.test_import_results import refuses, row, run, write_csv
from tests.writes import API, account, token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "readable"),
    [
        ("ANIL KUMAR DOHAREY", "Anil Kumar Doharey"),
        ("anil kumar doharey", "Anil Kumar Doharey"),
        ("A.K. SINGH", "A.K. Singh"),
        ("RK SINGH", "RK Singh"),  # initials run together
        ("DR. DHARAM SINGH SAINI", "Dr. Dharam Singh Saini"),  # a title's abbreviation is a word
        ("SMT. KM. ASHA DEVI", "Smt. Km. Asha Devi"),
        ("ZIA-UL-HAQ", "Zia-ul-Haq"),
        ("RAJEEV SINGH URF BABBU", "Rajeev Singh urf Babbu"),
        ("AMIT DE", "Amit De"),  # a particle's spelling as the last word is a surname
        ("RAKESH S/O KUMARPAL", "Rakesh S/o Kumarpal"),
        ("D'SOUZA", "D'Souza"),
        ("RAGHURAJ SINGH II", "Raghuraj Singh II"),
        ("VI", "Vi"),  # a first word is a name, not a numeral
        ("BILGRAM-MALLANWAN", "Bilgram-Mallanwan"),
        ("MEERUT CANTT.", "Meerut Cantt."),
        ("AGRA CANTT. (SC)", "Agra Cantt. (SC)"),
        ("Dr.dharam Singh Saini", "Dr.dharam Singh Saini"),  # mixed case: as written
        ("Anil DOHARE", "Anil DOHARE"),
        ("123", "123"),
    ],
)
def test_readable_names(value, readable):
    assert readable_name(value) == readable


@pytest.mark.parametrize(
    ("known", "given", "same"),
    [
        ("Badaun", "BUDAUN", True),  # the same consonants
        ("Gautam Buddha Nagar", "GAUTTAM BUDH NAGAR", True),
        ("Bulandshahr", "BULAND SHAHR", True),
        ("Siddharth Nagar", "SIDDHARTHNAGAR", True),
        ("Hathras", "MAHAMAYA NAGAR", False),  # a former name: only the list knows it
        ("Etah", "ETAWAH", False),
        ("Kanpur Nagar", "KANPUR DEHAT", False),
        ("Mau", "MEO", False),  # too few consonants to tell
    ],
)
def test_which_names_can_name_one_district(known, given, same):
    assert same_district_name(known, given) is same


def test_the_shipped_former_names_are_what_the_affidavits_give():
    affidavits = settings.BASE_DIR.parent / "shared" / "data" / "up-affidavits-myneta"
    affidavits = affidavits / "uttar-pradesh-candidates-2007-2017.csv"
    if not affidavits.is_file():
        pytest.skip(f"no affidavits dataset at {affidavits.parent} on this machine")
    derived = [(e.former_name, e.name) for e in derive_former_names(affidavits)]
    assert derived == load_former_names("Uttar Pradesh", FORMER_NAMES)
    assert ("MAHAMAYA NAGAR", "HATHRAS") in derived
    assert "CSJM NAGAR" not in dict(derived)  # split between Amethi and Rae Bareli: no renaming


# -- the importer ---------------------------------------------------------------


def contest_rows(number: int, name: str, district: str, *candidates: str) -> list[dict]:
    rows = [
        row(number, name, candidate, party, 90000 - 1000 * i, district=district)
        for i, (candidate, party) in enumerate(zip(candidates, ["BJP", "SP", "BSP", "INC"], strict=False))
    ]
    return [*rows, row(number, name, "NOTA", "", 500, district=district)]


def districts() -> int:
    return Place.objects.filter(kind=Place.Kind.DISTRICT).count()


def source_of(path) -> Source:
    return Source.objects.get(path__endswith=path.name)


def test_names_in_capitals_become_readable_and_the_ballot_keeps_the_file_spelling(seeded, tmp_path):
    rows = [
        *contest_rows(1, "BEHAT", "SAHARANPUR", "NARESH SAINI", "UMAR ALI KHAN"),
        *contest_rows(2, "nakur", "saharanpur", "dharam singh saini", "Imran Masood"),
    ]
    report = run(write_csv(tmp_path, rows))
    assert "districts: 1 created" in report

    district = Place.objects.get(slug="saharanpur-district")
    assert (district.name, district.other_names, district.parent.slug) == ("Saharanpur", [], "uttar-pradesh")
    behat, nakur = Constituency.objects.filter(number__in=[1, 2]).order_by("number")
    assert (behat.name, behat.slug, behat.district) == ("Behat", "uttar-pradesh-001-behat", district)
    assert nakur.name == "Nakur"

    people = {c.ballot_name: c.person.name for c in Candidacy.objects.filter(contest__election__slug="up-2022")}
    assert people == {
        "NARESH SAINI": "Naresh Saini",
        "UMAR ALI KHAN": "Umar Ali Khan",
        "dharam singh saini": "Dharam Singh Saini",
        "Imran Masood": "Imran Masood",  # mixed case: as written
    }
    # The names differ from the file's only in case: the same name, so no alias (the ballot name keeps
    # the file's spelling, and each record cites its row).
    assert not PersonAlias.objects.filter(person__name="Naresh Saini").exists()
    assert not ConstituencyAlias.objects.filter(constituency__in=[behat, nakur]).exists()
    naresh = Person.objects.get(name="Naresh Saini")
    assert naresh.slug == "naresh-saini"
    assert list(naresh.citations.values_list("locator", flat=True)) == ["row 2"]


def test_a_district_under_its_former_name_or_another_spelling_joins_the_known_district(seeded, tmp_path):
    hathras, siddharth_nagar = Place.objects.get(slug="hathras"), Place.objects.get(name="Siddharth Nagar")
    before = districts()
    rows = [
        *contest_rows(78, "HATHRAS", "MAHAMAYA NAGAR", "HARISHANKAR MAHOR", "BRIJ MOHAN RAHI"),
        *contest_rows(79, "SADABAD", "Mahamaya Nagar", "RAMVEER UPADHYAY", "DEVENDRA AGARWAL"),
        *contest_rows(303, "KAPILVASTU", "SIDDHARTHNAGAR", "SHYAM DHANI RAHI", "VIJAY KUMAR"),
    ]
    path = write_csv(tmp_path, rows, "up-2022.csv")
    report = run(path)
    assert districts() == before, report
    assert "district other names: 2 created, 1 matched" in report  # the second row of Hathras: found by it
    assert {c.number: c.district for c in Constituency.objects.filter(number__in=[78, 79, 303])} == {
        78: hathras,
        79: hathras,
        303: siddharth_nagar,
    }
    hathras.refresh_from_db()
    siddharth_nagar.refresh_from_db()
    assert (hathras.name, hathras.other_names) == ("Hathras", ["MAHAMAYA NAGAR"])
    assert siddharth_nagar.other_names == ["SIDDHARTHNAGAR"]
    # Each other name cites the rows of the file that use it.
    cited = Citation.objects.filter(source=source_of(path), object_id=hathras.pk, content_type__model="place")
    assert sorted(cited.filter(field="other_names").values_list("locator", flat=True)) == ["row 2", "row 5"]

    # Found through the API under its former name, with that name's source.
    body = token_client().get(f"{API}/places/", {"q": "mahamaya nagar", "kind": "district"}).json()
    assert [p["slug"] for p in body["results"]] == ["hathras"]
    assert {c["field"] for c in body["results"][0]["citations"] if c["source"] == source_of(path).pk} == {
        "",
        "other_names",
    }

    # The same file again: nothing new.
    citations = Citation.objects.count()
    again = run(path)
    assert "district other names: 0 created, 3 matched" in again
    assert districts() == before
    hathras.refresh_from_db()
    assert hathras.other_names == ["MAHAMAYA NAGAR"]
    assert Citation.objects.count() == citations


def test_the_new_name_finds_a_district_recorded_under_its_former_name(seeded, tmp_path):
    run(write_csv(tmp_path, contest_rows(100, "KASGANJ", "KANSHIRAMNAGAR", "DEVENDRA SINGH RAJPUT"), "up-2012.csv"))
    district = Place.objects.get(slug="kanshiramnagar-district")
    assert district.name == "Kanshiramnagar"
    later = write_csv(tmp_path, contest_rows(101, "AMANPUR", "KASGANJ", "DEVENDRA PRATAP SINGH"), "up-2022.csv")
    run(later)
    district.refresh_from_db()
    assert district.other_names == ["KASGANJ"]
    assert Constituency.objects.get(number=101).district == district


def test_a_district_two_known_districts_could_be_is_refused_naming_both(seeded, tmp_path):
    up = Place.objects.get(slug="uttar-pradesh")
    Place.objects.create(slug="hatras", name="Hatras", kind=Place.Kind.DISTRICT, parent=up)  # a second spelling
    refuses(
        write_csv(tmp_path, contest_rows(78, "HATHRAS", "MAHAMAYA NAGAR", "HARISHANKAR MAHOR"), "former.csv"),
        r"^former\.csv: row 2: district 'MAHAMAYA NAGAR' could be 'Hathras' \(hathras\) and 'Hatras' \(hatras\), "
        r"by the list of former names; write the district as the records name it\. Nothing was imported\.$",
    )
    Place.objects.create(slug="badaun", name="Badaun", kind=Place.Kind.DISTRICT, parent=up)
    Place.objects.create(slug="budaun", name="Budaun", kind=Place.Kind.DISTRICT, parent=up)
    refuses(
        write_csv(tmp_path, contest_rows(115, "BILSI", "BADAUNN", "HARISH SHAKYA"), "spelled.csv"),
        r"^spelled\.csv: row 2: district 'BADAUNN' could be 'Badaun' \(badaun\) and 'Budaun' \(budaun\), "
        r"by spelling;",
    )


def test_a_district_of_another_state_is_not_the_files(seeded, tmp_path):
    india = Place.objects.create(slug="india", name="India", kind=Place.Kind.COUNTRY)
    bihar = Place.objects.create(slug="bihar", name="Bihar", kind=Place.Kind.STATE, parent=india)
    aurangabad = Place.objects.create(slug="aurangabad", name="Aurangabad", kind=Place.Kind.DISTRICT, parent=bihar)
    run(write_csv(tmp_path, contest_rows(400, "AURANGABAD", "AURANGABAD", "SOME CANDIDATE")))
    district = Constituency.objects.get(number=400).district
    assert district != aurangabad
    assert (district.name, district.parent.slug) == ("Aurangabad", "uttar-pradesh")


def chauri_chaura() -> tuple[Constituency, Constituency]:
    up = Place.objects.get(slug="uttar-pradesh")
    return (
        Constituency.objects.create(slug="up-chauri", jurisdiction=up, number=326, name="Chauri"),
        Constituency.objects.create(slug="up-chauri-chaura", jurisdiction=up, number=327, name="Chauri Chaura"),
    )


def test_every_name_conflict_of_a_file_is_listed_at_once_and_nothing_is_written(seeded, tmp_path):
    chauri_chaura()
    up = Place.objects.get(slug="uttar-pradesh")
    Place.objects.create(slug="hatras", name="Hatras", kind=Place.Kind.DISTRICT, parent=up)
    rows = [
        *contest_rows(326, "CHAURI-CHAURA", "GORAKHPUR", "SARVAN KUMAR NISHAD"),  # rows 2-3
        *contest_rows(78, "HATHRAS", "MAHAMAYA NAGAR", "HARISHANKAR MAHOR"),  # rows 4-5
        *contest_rows(327, "SANDILA", "GORAKHPUR", "ALKA ARKVANSHI"),  # rows 6-7
        *contest_rows(79, "SADABAD", "SIDDHARTHNAGAR", "RAMVEER UPADHYAY"),  # rows 8-9: fine
    ]
    refuses(
        write_csv(tmp_path, rows, "conflicts.csv"),
        r"^conflicts\.csv: row 2: 'CHAURI-CHAURA' for constituency 326 \(Chauri\) names constituency "
        r"327 \(Chauri Chaura\) already; it cannot be an alias of both; "
        r"row 4: district 'MAHAMAYA NAGAR' could be 'Hathras' \(hathras\) and 'Hatras' \(hatras\), .*; "
        r"row 6: constituency 327 is 'Chauri Chaura' already, not 'SANDILA' \(3 rows\)\. Nothing was imported\.$",
    )
    assert not Place.objects.get(name="Siddharth Nagar").other_names  # not even what would have matched


def test_a_re_import_adds_no_alias_the_second_time(seeded, tmp_path):
    chauri, _ = chauri_chaura()
    rows = [
        *contest_rows(326, "CHAURI", "GORAKHPUR", "SARVAN KUMAR NISHAD"),
        *contest_rows(1, "BEHAT", "SAHARANPUR", "NARESH SAINI"),
    ]
    path = write_csv(tmp_path, rows, "twice.csv")
    run(path)
    counts = (PersonAlias.objects.count(), ConstituencyAlias.objects.count(), Citation.objects.count(), districts())
    names = sorted(Place.objects.values_list("name", "other_names"))
    again = run(path)
    assert "created" not in again.replace("0 created", ""), again
    assert (PersonAlias.objects.count(), ConstituencyAlias.objects.count(), Citation.objects.count(), districts()) == (
        counts
    )
    assert sorted(Place.objects.values_list("name", "other_names")) == names
    assert chauri.aliases.count() == 0


# -- curators: the write API and the admin ----------------------------------------


@pytest.fixture
def curator():
    return token_client(account("ria", curator=True))


def test_the_api_refuses_an_other_name_that_names_another_district(seeded, curator):
    response = curator.post(
        f"{API}/places/",
        {
            "slug": "mahamaya",
            "name": "Mahamaya",
            "kind": "district",
            "parent": "uttar-pradesh",
            "other_names": ["HATHRAS", "Mahamaya Nagar"],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["other_names"] == [
        "'HATHRAS' already names the district 'Hathras' (hathras); it cannot also be an other name of 'Mahamaya'."
    ]
    assert not Place.objects.filter(slug="mahamaya").exists()
    # The same name in another state's tree is another district.
    elsewhere = {"slug": "mahamaya", "name": "Mahamaya", "kind": "district", "other_names": ["Hathras"]}
    assert curator.post(f"{API}/places/", elsewhere, format="json").status_code == 201


def test_the_admin_refuses_a_constituency_alias_that_names_another_constituency(admin_client, seeded):
    chauri, chauri_chaura_ = chauri_chaura()
    url = admin_url(ConstituencyAlias, "add")
    data = form_data(admin_client.get(url))
    data.update(constituency=chauri.pk, name="CHAURI-CHAURA", kind="spelling_variant", status="confirmed")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "'CHAURI-CHAURA' already names constituency 327. Chauri Chaura; it cannot also be an alias of 326. Chauri."
    ]
    assert not ConstituencyAlias.objects.exists()
    assert admin_client.post(url, {**data, "name": "Chauri Bazar"}).status_code == 302
    assert [a.name for a in chauri.aliases.all()] == ["Chauri Bazar"]
    assert not chauri_chaura_.aliases.exists()


def test_the_admin_refuses_a_place_other_name_that_names_another_district(admin_client, seeded):
    hathras = Place.objects.get(slug="hathras")
    url = admin_url(Place, "change", hathras.pk)
    data = form_data(admin_client.get(url))
    data["other_names"] = '["MAHAMAYA NAGAR", "Agra"]'
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["other_names"] == [
        "'Agra' already names the district 'Agra' (agra); it cannot also be an other name of 'Hathras'."
    ]
    hathras.refresh_from_db()
    assert hathras.other_names == []
