"""The person matcher: names compared as the datasets spell them, evidence
named and weighed, a link only on strong evidence (else a possible match for
a curator), namesakes elsewhere apart; through the results importer, a
rejected pair never comes back, a match whose person was merged away cannot
be accepted, an accept is an undoable merge; and precision and recall on a
labelled set built from the shipped data."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from records.curation.merge import merge_people, undo_merge
from records.identity.decisions import MatchError, accept_match, reject_match
from records.identity.evaluation import AFFIDAVITS, build_labelled_set, measure
from records.identity.matcher import (
    LINK_AT,
    PROPOSE_AT,
    CandidateRecord,
    KnownCandidacy,
    KnownPerson,
    Matcher,
    PeoplePool,
    born_from_age,
)
from records.identity.names import compare_names
from records.models import Candidacy, Election, Person, PersonMerge, PossibleMatch
from records.roles import ensure_curator_group
from tests.test_import_results import kannauj, person_in, row, run, write_csv

# -- names --------------------------------------------------------------------

NAMES = [
    # (given, known, the name evidence)
    ("Asim Arun", "ASIM ARUN", "same name"),
    ("Aseem Arun", "Shri Asim Arun", "same name"),  # romanisation and title
    ("Om Kumar", "Omkumar", "same name"),  # words run together
    ("Kalicharan Prasad Urf Kali Prasad", "Kali Prasad", "same name"),  # "urf": either name
    ("Arun Asim", "Asim Arun", "same words in another order"),
    ("Yogendra Upadhyay", "Yogendra Upadhyaya", "spelling variant"),
    ("Mahender Singh Khadakvanshi", "Mahendra Singh Khargvanshi", "spelling variant"),
    ("Banwari Lal Doha", "Banwari Lal Dohare", "spelling variant"),  # cut short
    ("Anil Dohare", "Anil Kumar Dohare", "one name within the other"),
    ("Rajkaran", "Raj Karan Kabir", "one name within the other"),
    ("Arun", "Arun Kumar Yadav", "only a name in common"),
    ("Prakash Chandra", "Prakash Dwivedi", "one word in common"),
]


@pytest.mark.parametrize(("given", "known", "expected"), NAMES)
def test_how_two_spellings_of_a_name_agree(given, known, expected):
    pieces = compare_names(given, known)
    assert pieces[0].name == expected
    assert given.split()[0].lower()[:3] in pieces[0].detail.lower()  # the detail shows both names


@pytest.mark.parametrize(
    ("given", "known"),
    [("Rakesh Kumar", "Ramesh Kumar"), ("Ram Singh", "Shyam Lal"), ("Sunita Devi", "Anita Devi")],
)
def test_names_sharing_only_a_common_word_or_nothing_are_no_evidence(given, known):
    assert compare_names(given, known) == ()


def test_initials_that_fit_count_and_initials_that_clash_count_against():
    assert [p.name for p in compare_names("A. K. Arun", "Asim Kumar Arun")] == ["only a name in common", "initials fit"]
    clash = compare_names("D.C. Verma", "R.K. Verma")
    assert "initials differ" in [p.name for p in clash]
    assert sum(p.weight for p in clash) <= 1  # one surname, other given names: barely evidence


# -- scoring a record against people (no database) -----------------------------

UP_2017, UP_2022 = 1, 2
KANNAUJ, TIRWA, AGRA_CANTT = 196, 195, 87
BJP, SP = 10, 20


def stood(election: int, constituency: int, party: int | None, district: str = "Kannauj", contest: int = 0):
    names = {KANNAUJ: "Kannauj", TIRWA: "Tirwa", AGRA_CANTT: "Agra Cantt."}
    return KnownCandidacy(
        election_id=election,
        election=f"UP {2017 if election == UP_2017 else 2022}",
        day=date(2017 if election == UP_2017 else 2022, 2, 10),
        contest_id=contest or election * 1000 + constituency,
        constituency_id=constituency,
        constituency=names[constituency],
        district_id=None,
        district=district,
        party_id=party,
        party={BJP: "BJP", SP: "SP"}.get(party, ""),
        status="confirmed",
    )


def person(pk: int, name: str, *candidacies, born=None) -> KnownPerson:
    return KnownPerson(pk, name, [name], born, None, list(candidacies))


def record(name: str, constituency=KANNAUJ, party=SP, **extra) -> CandidateRecord:
    return CandidateRecord(
        name=name,
        election_id=UP_2022,
        constituency_id=constituency,
        constituency_name="Kannauj" if constituency == KANNAUJ else "elsewhere",
        district_name="Kannauj" if constituency in (KANNAUJ, TIRWA) else "Agra",
        party_id=party,
        contest_ids=frozenset({UP_2022 * 1000 + constituency}),
        **extra,
    )


def evidence_names(scored) -> list[str]:
    return [piece.name for piece in scored.evidence]


def test_the_score_is_the_sum_of_named_weighed_evidence():
    dohare = person(1, "Anil Kumar Dohare", stood(UP_2017, KANNAUJ, SP), born=(1965, 1966))
    matcher = Matcher(PeoplePool([dohare]))
    scored = matcher.score(record("Anil Kumar Doharey", born=born_from_age(56, date(2022, 2, 10))), dohare)
    assert evidence_names(scored) == ["same name", "same constituency", "same party", "age agrees"]
    assert scored.score == pytest.approx(sum(p.weight for p in scored.evidence)) == 4 + 3 + 1.5 + 1.5
    assert "stood in Kannauj (UP 2017)" in [p.detail for p in scored.evidence]


def test_it_links_only_above_the_threshold_and_proposes_between_the_floor_and_it():
    strong = person(1, "Anil Kumar Dohare", stood(UP_2017, KANNAUJ, SP))
    decision = Matcher(PeoplePool([strong])).decide(record("Anil Kumar Dohare"))
    assert decision.link.person_id == 1
    assert decision.link.score >= LINK_AT

    # The same person, but under another party: not enough to link, enough to ask.
    decision = Matcher(PeoplePool([strong])).decide(record("Anil Kumar Dohare", party=BJP))
    assert decision.link is None
    assert [p.person_id for p in decision.proposals] == [1]
    assert PROPOSE_AT <= decision.proposals[0].score < LINK_AT
    assert "other party" in evidence_names(decision.proposals[0])

    # A name within the other, same seat and party: a question, not a link.
    decision = Matcher(PeoplePool([strong])).decide(record("Anil Dohare"))
    assert decision.link is None
    assert decision.proposals

    # Sharing one word, under another party: below the floor, nothing at all.
    decision = Matcher(PeoplePool([strong])).decide(record("Anil Yadav", party=BJP))
    assert decision.link is None
    assert decision.proposals == ()


def test_namesakes_in_different_places_stay_apart():
    agra = person(1, "Ram Singh", stood(UP_2017, AGRA_CANTT, BJP, district="Agra"))
    kannauj_man = person(2, "Ram Singh", stood(UP_2017, KANNAUJ, BJP))
    matcher = Matcher(PeoplePool([agra, kannauj_man]))
    decision = matcher.decide(record("Ram Singh", party=BJP))
    assert decision.link.person_id == 2  # the one of this place: the other is known elsewhere only
    assert [s.person_id for s in decision.proposals] == []  # Agra's is not worth asking about
    agra_score = matcher.score(record("Ram Singh", party=BJP), agra)
    assert "known elsewhere only" in evidence_names(agra_score)
    assert agra_score.score < PROPOSE_AT

    alone = Matcher(PeoplePool([agra])).decide(record("Ram Singh", party=BJP))
    assert alone.link is None
    assert alone.proposals == ()


def test_a_name_another_person_bears_is_not_linked_when_nothing_tells_them_apart():
    known = person(1, "Asim Arun", stood(UP_2017, KANNAUJ, SP))
    unplaced = person(2, "Asim Arun")  # no candidacy: could be anyone, anywhere
    decision = Matcher(PeoplePool([known, unplaced])).decide(record("Asim Arun"))
    assert decision.link is None
    assert decision.proposals[0].person_id == 1
    assert "another person bears the name" in evidence_names(decision.proposals[0])


def test_two_close_candidates_are_a_question_not_a_link():
    first = person(1, "Anil Kumar Dohare", stood(UP_2017, KANNAUJ, SP))
    second = person(2, "Anil Kumar Dohre", stood(UP_2017, KANNAUJ, SP))  # within the margin of the first
    decision = Matcher(PeoplePool([first, second])).decide(record("Anil Kumar Dohare"))
    assert decision.link is None
    assert [p.person_id for p in decision.proposals] == [1, 2]


def test_ages_that_cannot_be_one_persons_keep_a_father_and_son_apart():
    father = person(1, "Ram Prasad Verma", stood(UP_2017, KANNAUJ, SP), born=(1950, 1951))
    son = record("Ram Prasad Verma", born=born_from_age(31, date(2022, 2, 10)))
    scored = Matcher(PeoplePool([father])).score(son, father)
    assert "age differs by a generation" in evidence_names(scored)
    assert scored.score < PROPOSE_AT


def test_a_person_who_stood_in_the_records_own_contest_is_someone_else():
    rival = person(1, "Anil Kumar Dohare", stood(UP_2022, KANNAUJ, SP))
    assert Matcher(PeoplePool([rival])).decide(record("Anil Kumar Dohare")).ranked == ()


def test_an_earlier_claimed_candidacy_in_this_election_is_evidence():
    claimed = KnownCandidacy(
        UP_2022, "UP 2022", date(2022, 2, 10), None, None, "", None, "Kannauj", None, "", "expected"
    )
    asim = person(1, "Asim Arun", claimed)
    scored = Matcher(PeoplePool([asim])).score(record("Aseem Arun", party=BJP), asim)
    assert evidence_names(scored) == ["same name", "same district", "a candidacy in this election here"]
    assert "claimed (expected)" in scored.evidence[2].detail


# -- through the results importer -------------------------------------------------


@pytest.fixture
def curator(db):
    user = get_user_model().objects.create_user("ria", password="pw", is_staff=True)
    user.groups.add(ensure_curator_group())
    return user


def dohare_2017(tmp_path, seeded) -> Person:
    rows = [
        {**r, "year": 2017}
        for r in (
            row(196, "Kannauj", "Anil Kumar Dohare", "SP", 100, won="yes", district="Kannauj"),
            row(196, "Kannauj", "Banwari Lal Dohare", "BJP", 90, district="Kannauj"),
        )
    ]
    run(write_csv(tmp_path, rows, name="2017.csv"), "up-2017")
    (person,) = person_in(196, "Anil Kumar Dohare", "up-2017")
    return person


@pytest.fixture
def proposed(seeded, tmp_path):
    """2017: Anil Kumar Dohare (SP) in Kannauj; 2022: "Anil Dohare" (SP) there: a new
    person and an open possible match (a name within the other is not enough to link)."""
    known = dohare_2017(tmp_path, seeded)
    anil = row(196, "Kannauj", "Anil Dohare", "SP", 90, district="Kannauj", reservation="SC")
    path = write_csv(tmp_path, [*kannauj()[:1], anil])
    report = run(path)
    (incoming,) = person_in(196, "Anil Dohare")
    match = PossibleMatch.objects.get()
    return known, incoming, match, path, report


def test_an_import_creates_the_person_and_an_open_possible_match_with_its_evidence(proposed):
    known, incoming, match, _, report = proposed
    assert incoming != known
    assert (match.incoming_id, match.existing_id, match.status) == (incoming.pk, known.pk, "open")
    assert [p["name"] for p in match.evidence] == [
        "one name within the other",
        "same constituency",
        "same party",
    ]
    assert PROPOSE_AT <= match.score < LINK_AT
    assert match.source.path.endswith("results.csv")
    assert "possible matches: 1 created" in report


def test_strong_evidence_links_at_import_as_an_undoable_merge(seeded, tmp_path):
    asim = Person.objects.get(slug="asim-arun")  # the seeds: expected to stand in Kannauj district in 2022
    report = run(write_csv(tmp_path, kannauj(candidate="Aseem Arun")))
    assert person_in(196, "Aseem Arun") == [asim]
    match = PossibleMatch.objects.get(existing=asim)
    assert match.status == "accepted"
    assert match.decided_by is None
    assert [p["name"] for p in match.evidence] == [
        "same name",
        "same district",
        "a candidacy in this election here",
        "same party",  # the seeds' expected candidacy names the BJP
    ]
    merge = match.merge
    assert merge.merged_by is None
    assert "Linked by the person matcher" in merge.note
    assert "people linked by the person matcher: 1 created" in report
    undo_merge(merge, None)
    assert person_in(196, "Aseem Arun") != [asim]


def test_a_rejected_pair_is_never_proposed_again(proposed, curator):
    _, _, match, path, _ = proposed
    reject_match(match, curator, "brothers")
    run(path)  # the same file again: its people are matched against everyone again
    assert PossibleMatch.objects.count() == 1
    match.refresh_from_db()
    assert (match.status, match.decided_by, match.note) == ("rejected", curator, "brothers")
    with pytest.raises(MatchError, match=r"already rejected by ria"):
        accept_match(match, curator)


def test_accepting_merges_and_the_merge_undoes(proposed, curator):
    known, incoming, match, _, _ = proposed
    accepted = accept_match(match, curator, "same affidavit")
    assert not Person.objects.filter(pk=incoming.pk).exists()
    assert person_in(196, "Anil Dohare") == [known]
    assert accepted.merge.kept == known
    assert accepted.decided_by == curator
    undo_merge(accepted.merge, curator)
    assert person_in(196, "Anil Dohare") == [incoming]
    # The accept was undone with its merge: the match can be decided again.
    assert reject_match(match, curator).status == "rejected"


def test_a_match_whose_person_was_merged_away_is_refused_with_the_reason(proposed, curator):
    known, _, match, _, _ = proposed
    other = Person.objects.create(slug="a-k-dohare", name="A. K. Dohare")
    merge_people(other, known, curator)
    with pytest.raises(MatchError, match=rf"existing person #{known.pk} was merged into #{other.pk} \(A. K. Dohare\)"):
        accept_match(match, curator)
    match.refresh_from_db()
    assert match.status == "open"
    assert PersonMerge.objects.count() == 1


def test_namesakes_in_other_places_get_no_possible_match(seeded, tmp_path):
    dohare_2017(tmp_path, seeded)
    run(write_csv(tmp_path, [row(87, "Agra Cantt.", "Anil Kumar Dohare", "SP", 10, district="Agra")]))
    assert len({*person_in(87, "Anil Kumar Dohare"), *person_in(196, "Anil Kumar Dohare", "up-2017")}) == 2
    assert not PossibleMatch.objects.exists()


# -- precision and recall on the shipped data ------------------------------------

PRECISION_FLOOR = 0.99
RECALL_FLOOR = 0.95


@pytest.mark.skipif(not AFFIDAVITS.is_file(), reason=f"no affidavits dataset at {AFFIDAVITS.parent}")
def test_precision_and_recall_on_the_2017_winners(results_2017, db):
    """The labelled set (records/identity/evaluation.py): the affidavits' 2017 rows
    against the people of the 2017 results, labelled by who won each seat."""
    labelled = build_labelled_set(Election.objects.get(slug="up-2017"))
    assert labelled.positives >= 350
    assert labelled.negatives >= 3500
    assert labelled.seats == labelled.positives
    measured = measure(labelled, Matcher(PeoplePool.load(Person.objects.all())))
    print("\n".join(measured.lines()))
    assert measured.precision >= PRECISION_FLOOR, measured.mistakes[:10]
    assert measured.recall >= RECALL_FLOOR
    assert Candidacy.objects.filter(election__slug="up-2017", won=True).count() == 403
    assert settings.BASE_DIR.joinpath("data", "up-assembly-2017-eci").is_dir()
