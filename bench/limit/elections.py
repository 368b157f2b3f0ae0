"""/elections/: the list, and the detail with phases, claimed results and
candidacies, the official results per party counted from the contests, and
each claimed result checked against them."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, known, linked, links, told, viewpoint
from bench.limit.people import record_q
from bench.limit.shapes import (
    ORGANISATION,
    PARTY,
    PERSON,
    PLACE,
    REVIEW,
    cents,
    citations,
    columns,
    fuzzy,
    fuzzy_columns,
    moment,
    nested,
    percent,
    review,
)
from records.models import (
    Alliance,
    Candidacy,
    Citation,
    Contest,
    Election,
    ElectionPhase,
    Organisation,
    PartyResult,
    Source,
)

ROW = (
    "id",
    "slug",
    "name",
    *columns("jurisdiction", PLACE),
    *columns("body", ORGANISATION),
    "seats",
    *fuzzy_columns("start"),
    *fuzzy_columns("end"),
    *fuzzy_columns("announced"),
    *fuzzy_columns("counting"),
    "status",
    "updated_at",
    *REVIEW,
)
ORDERS = {"start": "start_earliest", "name": "name", "seats": "seats", "id": "id"}


def election_json(row, cited) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "jurisdiction": nested(row, "jurisdiction", PLACE),
        "body": nested(row, "body", ORGANISATION),
        "seats": row["seats"],
        "start": fuzzy(row, "start"),
        "end": fuzzy(row, "end"),
        "announced": fuzzy(row, "announced"),
        "counting": fuzzy(row, "counting"),
        "status": row["status"],
        "citations": cited[(Election, row["id"])],
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def filtered(params, seen=EVERY_SOURCE):
    elections = Election.objects.filter(known(Election, seen))
    jurisdiction = lookups.place(params, "jurisdiction")
    if jurisdiction:
        elections = elections.filter(jurisdiction__in=lookups.subtree_ids(jurisdiction))
    body = lookups.organisation(params, "body")
    if body:
        elections = elections.filter(body__in=lookups.subtree_ids(body))
    maybe = lookups.possibly(params)
    if params.get("year"):
        year = int(params["year"])
        elections = elections.filter(
            lookups.on_or_after("start", date(year, 1, 1), maybe)
            & lookups.on_or_before("start", date(year, 12, 31), maybe)
        )
    if params.get("start_after"):
        elections = elections.filter(lookups.on_or_after("start", lookups.iso_day(params, "start_after"), maybe))
    if params.get("start_before"):
        elections = elections.filter(lookups.on_or_before("start", lookups.iso_day(params, "start_before"), maybe))
    if params.get("has_results"):
        has = Exists(PartyResult.objects.filter(election=OuterRef("pk")))
        elections = elections.filter(has if params["has_results"].lower() in ("true", "1") else ~has)
    if params.getlist("status"):
        elections = elections.filter(status__in=params.getlist("status"))
    if params.get("review_status"):
        elections = elections.filter(review_status=params["review_status"])
    return elections


def keys(params):
    return paging.keys_for(params, ORDERS, "start", frozenset({"start_earliest", "seats"}))


@viewpoint
def elections(request, seen):
    order = keys(request.GET)
    page = paging.page(request, filtered(request.GET, seen), order, ROW)
    cited = citations({Election: [r["id"] for r in page.rows]}, seen)
    return envelope(request, page, [election_json(r, cited) for r in page.rows])


# -- the detail -----------------------------------------------------------------


def _tally(election_id: int) -> tuple[dict, list]:
    """{party id: (seats, votes, share, contested)} and the parties in rank order."""
    total = Contest.objects.filter(election_id=election_id).aggregate(t=Sum("total_votes"))["t"]
    rows = (
        Candidacy.objects.filter(contest__election_id=election_id, party__isnull=False)
        .order_by()
        .values("party_id")
        .annotate(
            seats=Count("id", filter=Q(won=True)),
            votes_won=Sum("votes"),
            counted=Sum("votes", filter=Q(contest__total_votes__isnull=False)),
            contested=Count("id"),
        )
    )
    tally = {
        r["party_id"]: (r["seats"], r["votes_won"] or 0, percent(r["counted"] or 0, total), r["contested"])
        for r in rows
    }
    return tally, sorted(tally, key=lambda p: (-tally[p][0], -tally[p][1], p))


def _check(field, claimed, official, missing, note="") -> dict:
    if claimed is None:
        return {"claimed": None, "official": official, "agrees": None, "note": "not claimed"}
    if official is None:
        return {"claimed": claimed, "official": None, "agrees": None, "note": missing}
    return {"claimed": claimed, "official": official, "agrees": claimed == official, "note": note}


def _most_seats_first(result) -> tuple:
    """Most seats first, then by id; unknown seats where the database puts NULLs going down."""
    seats = result["seats_won"]
    if seats is None:
        return (0 if connection.vendor == "postgresql" else 2, 0, result["id"])
    return (1, -seats, result["id"])


def _checks(election_id, tally, results, cited, sources) -> list[dict]:
    missing = "no official results imported for this election"
    alliances = {a.leader_id: a for a in Alliance.objects.filter(election_id=election_id).prefetch_related("parties")}
    out = []
    for claim in sorted(results, key=_most_seats_first):
        official = tally.get(claim["party__id"])
        if tally and official is None:
            official = (0, 0, 0.0, 0)
        alliance = alliances.get(claim["party__id"])
        if alliance is not None and tally:
            with_allies = sum(tally[p.pk][0] for p in alliance.parties.all() if p.pk in tally)
            allies_note = f"alliance: {alliance.name}"
        else:
            with_allies = None
            allies_note = missing if not tally else "no alliance recorded for this party and election"
        checks = {
            "seats_won": _check("seats_won", claim["seats_won"], official and official[0], missing),
            "seats_with_allies": _check(
                "seats_with_allies", claim["seats_with_allies"], with_allies, allies_note, allies_note
            ),
            "vote_share": _check("vote_share", cents(claim["vote_share"]), official and official[2], missing),
        }
        verdicts = [c["agrees"] for c in checks.values() if c["agrees"] is not None]
        out.append(
            {
                "claim": claim["id"],
                "party": nested(claim, "party", PARTY),
                "status": claim["status"],
                "agrees": all(verdicts) if verdicts else None,
                "citations": cited[(PartyResult, claim["id"])],
                **checks,
                "official_sources": sources,
            }
        )
    return out


@viewpoint
def election(request, key: str, seen):
    has_contests = Exists(Contest.objects.filter(election=OuterRef("pk")))
    elections = Election.objects.filter(record_q(key), known(Election, seen))
    found = list(elections.values(*ROW, has_contests=has_contests)[:1])
    if not found:
        return not_found()
    row = found[0]
    pk = row["id"]
    phases = list(
        ElectionPhase.objects.filter(known(ElectionPhase, seen), election_id=pk)
        .order_by("number")
        .values("id", "number", *fuzzy_columns("poll_date"), "status")
    )
    # Every claimed result is checked against the official ones; those the sources seen tell are listed.
    every_result = PartyResult.objects.filter(election_id=pk).order_by("-seats_won", "party_id", "id")
    result_columns = ("id", *columns("party", PARTY), "seats_won", "seats_with_allies", "vote_share", "status")
    if seen:
        every_result = every_result.annotate(told=told(PartyResult, seen))
        result_columns += ("told",)
    all_results = list(every_result.values(*result_columns))
    results = [r for r in all_results if r.get("told", True)]
    claimed = list(
        Candidacy.objects.filter(known(Candidacy, seen), election_id=pk, contest__isnull=True)
        .order_by("person_id", "id")
        .values("id", *columns("person", PERSON), *columns("party", PARTY), *columns("place", PLACE), "status")
    )
    cited = citations(
        {
            Election: [pk],
            ElectionPhase: [p["id"] for p in phases],
            PartyResult: [r["id"] for r in results],
            Candidacy: [c["id"] for c in claimed],
        },
        seen,
    )
    linking = links({PartyResult: [r["id"] for r in results], Candidacy: [c["id"] for c in claimed]}, seen)
    tally, ranked, official, sources = {}, [], [], []
    if row["has_contests"]:
        tally, ranked = _tally(pk)
        parties = {p["id"]: p for p in Organisation.objects.filter(pk__in=list(tally)).values(*PARTY)}
        official = [
            {
                "party": parties[p],
                "seats_won": tally[p][0],
                "votes": tally[p][1],
                "vote_share": tally[p][2],
                "contested": tally[p][3],
            }
            for p in ranked
        ]
        contests = Contest.objects.filter(election_id=pk).values("pk")
        cited_by = Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Contest), object_id__in=contests
        ).values("source_id")
        sources = list(Source.objects.filter(pk__in=cited_by).order_by("id").values("id", "slug", "title", "license"))
    body = election_json(row, cited)
    return json_response(
        {
            **body,
            "phases": [
                {
                    "id": p["id"],
                    "number": p["number"],
                    "poll_date": fuzzy(p, "poll_date"),
                    "status": p["status"],
                    "citations": cited[(ElectionPhase, p["id"])],
                }
                for p in phases
            ],
            "results": [
                {
                    "id": r["id"],
                    "party": nested(r, "party", PARTY),
                    "seats_won": r["seats_won"],
                    "seats_with_allies": r["seats_with_allies"],
                    "vote_share": cents(r["vote_share"]),
                    "status": r["status"],
                    "citations": cited[(PartyResult, r["id"])],
                    **linked(PartyResult, r["id"], linking),
                }
                for r in results
            ],
            "candidacies": [
                {
                    "id": c["id"],
                    "person": nested(c, "person", PERSON),
                    "party": nested(c, "party", PARTY),
                    "place": nested(c, "place", PLACE),
                    "status": c["status"],
                    "citations": cited[(Candidacy, c["id"])],
                    **linked(Candidacy, c["id"], linking),
                }
                for c in claimed
            ],
            "official_results": official,
            "result_checks": _checks(pk, tally, all_results, cited, sources) if all_results else [],
        }
    )
