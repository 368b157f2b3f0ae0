"""An election's detail (phases, claimed results and candidacies, official
results, the claims checked against them) from ``.values()`` rows."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from records.api.fast.rows import (
    ORGANISATION_REF,
    PARTY_REF,
    PERSON_REF,
    PLACE_REF,
    citations_of,
    ref,
    ref_fields,
)
from records.api.representation import REVIEW_VALUES, fuzzy, fuzzy_fields, review, timestamp
from records.models import Candidacy, Contest, Election, ElectionPhase, PartyResult
from records.tally import check_claims, contest_sources, official_tally, ranked, tally_parties

ELECTION_FIELDS = (
    "id",
    "slug",
    "name",
    *ref_fields("jurisdiction", PLACE_REF),
    *ref_fields("body", ORGANISATION_REF),
    "seats",
    *fuzzy_fields("start"),
    *fuzzy_fields("end"),
    *fuzzy_fields("announced"),
    *fuzzy_fields("counting"),
    "status",
    "updated_at",
    *REVIEW_VALUES,
)
CENT = Decimal("0.01")


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT)


def election_detail(lookup: Q) -> dict | None:
    """One election in a fixed number of queries: the election, phases, results,
    claimed candidacies, every citation of them (one query); with contests, the
    tally (2), its parties and the dataset sources; with claims, alliances
    (+ their parties) and the claims the checks read."""
    has_contests = Exists(Contest.objects.filter(election=OuterRef("pk")))
    found = list(Election.objects.filter(lookup).order_by().values(*ELECTION_FIELDS, has_contests=has_contests)[:1])
    if not found:
        return None
    row = found[0]
    election_id = row["id"]
    phases = list(
        ElectionPhase.objects.filter(election_id=election_id).values(
            "id", "number", *fuzzy_fields("poll_date"), "status"
        )
    )
    results = list(
        PartyResult.objects.filter(election_id=election_id).values(
            "id", *ref_fields("party", PARTY_REF), "seats_won", "seats_with_allies", "vote_share", "status"
        )
    )
    claimed = list(
        Candidacy.objects.filter(election_id=election_id, contest__isnull=True).values(
            "id",
            *ref_fields("person", PERSON_REF),
            *ref_fields("party", PARTY_REF),
            *ref_fields("place", PLACE_REF),
            "status",
        )
    )
    cited = citations_of(
        {
            Election: [election_id],
            ElectionPhase: [p["id"] for p in phases],
            PartyResult: [r["id"] for r in results],
            Candidacy: [c["id"] for c in claimed],
        }
    )

    def cites(model, pk):
        return cited.get((model, pk), [])

    election = Election(pk=election_id)
    tally = official_tally(election) if row["has_contests"] else {}
    official_results, official_sources = [], []
    if row["has_contests"]:
        parties = {p["id"]: p for p in tally_parties(election_id).values(*PARTY_REF)}
        official_results = [
            {
                "party": parties[t.party_id],
                "seats_won": t.seats_won,
                "votes": t.votes,
                "vote_share": _cents(t.vote_share),
                "contested": t.contested,
            }
            for t in ranked(tally)
        ]
        official_sources = list(contest_sources(election_id).values("id", "slug", "title", "license"))
    checks = check_claims(election, tally) if results else []
    return {
        "id": election_id,
        "slug": row["slug"],
        "name": row["name"],
        "jurisdiction": ref(row, "jurisdiction", PLACE_REF),
        "body": ref(row, "body", ORGANISATION_REF),
        "seats": row["seats"],
        "start": fuzzy(row, "start"),
        "end": fuzzy(row, "end"),
        "announced": fuzzy(row, "announced"),
        "counting": fuzzy(row, "counting"),
        "status": row["status"],
        "phases": [
            {
                "id": p["id"],
                "number": p["number"],
                "poll_date": fuzzy(p, "poll_date"),
                "status": p["status"],
                "citations": cites(ElectionPhase, p["id"]),
            }
            for p in phases
        ],
        "results": [
            {
                "id": r["id"],
                "party": ref(r, "party", PARTY_REF),
                "seats_won": r["seats_won"],
                "seats_with_allies": r["seats_with_allies"],
                "vote_share": _cents(r["vote_share"]),
                "status": r["status"],
                "citations": cites(PartyResult, r["id"]),
            }
            for r in results
        ],
        "candidacies": [
            {
                "id": c["id"],
                "person": ref(c, "person", PERSON_REF),
                "party": ref(c, "party", PARTY_REF),
                "place": ref(c, "place", PLACE_REF),
                "status": c["status"],
                "citations": cites(Candidacy, c["id"]),
            }
            for c in claimed
        ],
        "official_results": official_results,
        "result_checks": [_check(check, cites(PartyResult, check.claim.pk), official_sources) for check in checks],
        "citations": cites(Election, election_id),
        "updated_at": timestamp(row["updated_at"]),
        **review(row),
    }


def _check(check, citations: list[dict], official_sources: list[dict]) -> dict:
    party = check.claim.party
    out = {
        "claim": check.claim.pk,
        "party": {"id": party.pk, "slug": party.slug, "name": party.name, "abbreviation": party.abbreviation},
        "status": check.claim.status,
        "agrees": check.agrees,
        "citations": citations,
    }
    for field_check in check.checks:
        share = field_check.field == "vote_share"
        out[field_check.field] = {
            "claimed": _cents(field_check.claimed) if share else field_check.claimed,
            "official": _cents(field_check.official) if share else field_check.official,
            "agrees": field_check.agrees,
            "note": field_check.note,
        }
    out["official_sources"] = official_sources
    return out
