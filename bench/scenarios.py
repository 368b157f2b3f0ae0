"""The scenarios: for every read operation of the API's schema, requests with
values picked from the corpus. A list gets its first page in every order, a
deep page (90 % in) in every order, count=true, and one request per filter
(as_of and according_to among them); a detail and a history read one record,
and a detail is read again as of the day its record was first told, the day
before (a 404) and according to a source cited for it; health is read as it is;
the reconciliation service's manifest, preview and suggestions with picked names."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.http import QueryDict

from bench.limit.catalogue import LISTINGS
from bench.limit.paging import plain, sorted_by
from bench.limit.sources import CLAIM_ORDER, claims_of
from bench.limit.urls import RESOURCES
from bench.picks import Picks
from bench.schema import Operation
from bench.servers import API_PREFIX, LIMIT_PREFIX
from records.models import (
    Candidacy,
    ClaimLink,
    Constituency,
    Contest,
    Election,
    Event,
    Organisation,
    Party,
    Person,
    Place,
    Posting,
    Source,
)

DEEP = 0.9
LIMIT_RESOURCES = {*RESOURCES, "person-merges", "possible-matches", "disputes", "health", "reconcile", "popolo"}
# The details that take as_of and according_to (popolo has no detail: it takes them as filters).
KNOWING = LIMIT_RESOURCES - {"person-merges", "possible-matches", "health", "reconcile", "popolo"}
MISSING = "0"  # the key of a detail when the corpus has no such record: both sides answer 404


@dataclass
class Scenario:
    name: str
    operation: str
    path: str  # under both prefixes, e.g. /persons/asim-arun/
    params: dict = field(default_factory=dict)
    covers: frozenset = frozenset()
    deep_after: list | None = None  # a deep page: the order's values of the row it follows
    first_page: str | None = None  # a deep page: the scenario of its first page
    ignore: frozenset = frozenset()  # keys not compared (health's timing)
    api_cursor: str | None = None  # a deep page's cursor, made from the API's own (bench/cursors.py)
    cursor_order: str | None = None  # a deep page: its order as the API's cursor names it, for a list too short
    status: int = 200  # 404: a detail of a record the corpus lacks

    @property
    def api_url(self) -> str:
        params = {**self.params, **({"cursor": self.api_cursor} if self.api_cursor else {})}
        return f"{API_PREFIX}{self.path}{'?' + urlencode(params, doseq=True) if params else ''}"

    @property
    def limit_url(self) -> str:
        after = {"after": json.dumps(self.deep_after)} if self.deep_after is not None else {}
        params = {**self.params, **after}
        return f"{LIMIT_PREFIX}{self.path}{'?' + urlencode(params, doseq=True) if params else ''}"


REVIEWED = {
    "persons": Person,
    "postings": Posting,
    "parties": Party,
    "organisations": Organisation,
    "places": Place,
    "elections": Election,
    "constituencies": Constituency,
    "contests": Contest,
    "events": Event,
    "candidacies": Candidacy,
    "claim-links": ClaimLink,
}
WITH_STATUS = {
    "persons": Posting,
    "postings": Posting,
    "elections": Election,
    "events": Event,
    "candidacies": Candidacy,
}


def _record(record, name: str) -> dict | None:
    """``name`` (its slug) or ``name_id`` (its id) of a record, None without one."""
    if record is None:
        return None
    if name.endswith("_id"):
        return {name: record.pk}
    return {name: record.slug}


def filter_params(p: Picks, resource: str, name: str) -> dict | None:
    """The query parameters of a request exercising the filter ``name``, or None
    when the corpus has nothing to give it."""
    base = name.removesuffix("_id")
    election = p.election
    related = {
        "organisation": p.police,
        "place": p.state,
        "party": p.party,
        "candidate_party": p.party,
        "winner_party": p.party,
        "person": p.person,
        "mentions": p.person,
        "candidate": p.person,
        "within": p.police if resource == "organisations" else p.state,
        "jurisdiction": election.jurisdiction if election else None,
        "body": election.body if election else None,
        "district": p.constituency.district if p.constituency else None,
        "election": election,
        "constituency": p.constituency,
        "participant": p.participant,
    }
    if resource == "events":  # an event's person and organisation, where the corpus has events
        related.update(person=p.event_person, organisation=p.event_organisation)
    elif resource == "disputes":
        related["person"] = p.disputed_person
    elif resource == "possible-matches":
        related["person"] = p.match_person
    if base in related:
        return _record(related[base], name)
    start = election.start_earliest if election else None
    source_day = p.source.published_on if p.source else None
    kinds = {
        "organisations": Organisation,
        "places": Place,
        "sources": Source,
        "events": Event,
        "claim-links": ClaimLink,
    }
    values = {  # evaluated only for the filter asked about
        "active_on": lambda: p.day,
        "started_before": lambda: p.day,
        "started_after": lambda: p.day,
        "ended_before": lambda: p.day,
        "ended_after": lambda: p.day,
        "role": lambda: p.role_word,
        "rank": lambda: p.dated_posting.rank if p.dated_posting else None,
        "q": lambda: p.words.get(resource),
        "review_status": lambda: p.review_status(REVIEWED[resource]) if resource in REVIEWED else None,
        "status": lambda: (
            p.match_status
            if resource == "possible-matches"
            else p.status(WITH_STATUS[resource])
            if resource in WITH_STATUS
            else None
        ),
        "kind": lambda: p.kind(kinds[resource]) if resource in kinds else None,
        "year": lambda: start.year if start else None,
        "start_after": lambda: start,
        "start_before": lambda: start,
        "has_results": lambda: "true",
        "published_after": lambda: source_day,
        "published_before": lambda: source_day,
        "reservation": lambda: p.reservation,
        "margin_min": lambda: p.margin,
        "margin_max": lambda: p.margin,
        "identifier": lambda: p.identifier(resource),
        "disputed": lambda: "true",
        "official": lambda: "true",
        "won": lambda: "true",
        "as_of": lambda: p.as_of(resource),
        "according_to": lambda: p.according_to(resource),
        "include_pending": lambda: "true",
        "record": lambda: p.linked_record,
        "type": lambda: p.dispute_type if resource == "disputes" else None,
    }
    if name == "date_match":  # how fuzzy dates meet a date filter: with one
        companion = {"year": start.year} if resource == "elections" and start else {"active_on": p.day}
        return {**companion, "date_match": "possibly"} if None not in companion.values() else None
    if name == "party_result":  # whose result: with party
        return {"party": p.party.slug, "party_result": "won"} if p.party else None
    value = values[name]() if name in values else None
    return None if value is None else {name: plain(value)}


def placeholder_values(model, keys) -> list:
    """A position in an empty list, of the keys' types: NULL (the tail) on a
    nullable first key, then the smallest plain value of each column."""
    out = []
    for i, key in enumerate(keys):
        field = model._meta.get_field(key.column)
        if i == 0 and key.nullable:
            out.append(None)
        elif isinstance(field, models.DateTimeField):
            out.append("1970-01-01T00:00:00+00:00")
        elif isinstance(field, models.DateField):
            out.append("1970-01-01")
        elif isinstance(field, models.IntegerField | models.ForeignKey):
            out.append(0)
        else:
            out.append("")
    return out


def cursor_order(model, keys) -> str:
    """The order as the API's cursor names it (``"o"``): the model, then its keys."""
    return f"{model._meta.label_lower}:{','.join(('-' if k.descending else '') + k.column for k in keys)}"


def deep_values(queryset, keys, fraction: float = DEEP) -> list:
    """The order's values of the row ``fraction`` of the way into the list (at
    least one row before its end, however short the list); in an empty list,
    a position of the keys' types."""
    total = queryset.count()
    if total == 0:
        return placeholder_values(queryset.model, keys)
    index, first = max(0, min(int(total * fraction), total - 2)), keys[0]
    part, part_keys = queryset, keys
    if first.nullable:  # the rows with a value come first, then the NULL tail
        valued = queryset.filter(**{f"{first.column}__isnull": False})
        with_value = valued.count()
        if index < with_value:
            part, part_keys = valued, keys
        else:
            part, part_keys, index = queryset.filter(**{f"{first.column}__isnull": True}), keys[1:], index - with_value
    row = sorted_by(part, part_keys, False).values(*(k.column for k in keys))[index]
    return [plain(row[k.column]) for k in keys]


def _list_scenarios(op: Operation, p: Picks) -> list[Scenario]:
    out = []
    listing = LISTINGS.get(op.resource)
    for ordering in op.orderings or [None]:
        params = {"ordering": ordering} if ordering else {}
        name = f"{op.id} ordering={ordering}" if ordering else f"{op.id}"
        covers = {op.id, f"{op.id}?ordering={ordering}"} if ordering else {op.id}
        out.append(Scenario(name, op.id, op.path, params, frozenset(covers)))
        if ordering and listing is not None:
            queryset = listing.filtered(QueryDict(""))
            keys = listing.keys(QueryDict(f"ordering={ordering}"))
            out.append(
                Scenario(
                    f"{name} deep",
                    op.id,
                    op.path,
                    params,
                    frozenset({f"{op.id}?ordering={ordering} deep"}),
                    deep_after=deep_values(queryset, keys),
                    first_page=name,
                    cursor_order=cursor_order(queryset.model, keys),
                )
            )
    out.append(Scenario(f"{op.id} count", op.id, op.path, {"count": "true"}, frozenset({f"{op.id}?count"})))
    for name in op.filters:
        params = filter_params(p, op.resource, name)
        if params is not None:
            shown = " ".join(f"{k}={v}" for k, v in params.items())
            out.append(Scenario(f"{op.id} {shown}", op.id, op.path, params, frozenset({f"{op.id}?{name}"})))
        if name == "q" and params is not None:
            out += _loose_searches(op, params["q"])
    return out


def _loose_searches(op: Operation, text: str) -> list[Scenario]:
    """The search's other ways of finding a name: a word found only by its
    consonants (every match scored), and the name written joined or split,
    found only inside the names written without spaces."""
    out, covers = [], frozenset({f"{op.id}?q"})
    loose = misspelt(text)
    if loose:
        out.append(Scenario(f"{op.id} q={loose} (misspelt)", op.id, op.path, {"q": loose}, covers))
    otherwise = written_otherwise(text)
    if otherwise:
        other, how = otherwise
        out.append(Scenario(f"{op.id} q={other} ({how})", op.id, op.path, {"q": other}, covers))
    return out


def misspelt(text: str) -> str | None:
    """``text`` with a vowel inside its longest word dropped ("Dohare" -> "Dohre"),
    which only a search that compares consonants still finds; None without one."""
    words = str(text).split()
    if not words:
        return None
    longest = max(words, key=len)
    inner = [i for i, letter in enumerate(longest[1:-1], start=1) if letter.lower() in "aeiou"]
    if not inner:
        return None
    changed = longest[: inner[-1]] + longest[inner[-1] + 1 :]
    return " ".join(changed if word is longest else word for word in words)


SPLIT_PART = 3  # letters each part of a split word keeps at least


def written_otherwise(text: str) -> tuple[str, str] | None:
    """``text`` with its first two words written as one ("Gopal Chaturwedi" ->
    "GopalChaturwedi"), or a text of one word split in its middle ("Gopalgarh"
    -> "Gopa lgarh"), with how ("joined", "split"); None for a word too short
    to split."""
    words = str(text).split()
    if len(words) > 1:
        return " ".join([words[0] + words[1], *words[2:]]), "joined"
    if not words or len(words[0]) < 2 * SPLIT_PART:
        return None
    word, half = words[0], len(words[0]) // 2
    return f"{word[:half]} {word[half:]}", "split"


def _claims_scenarios(op: Operation, p: Picks) -> list[Scenario]:
    out = []
    if p.source is not None:
        path = op.path.replace("{id}", p.source.slug)
        out.append(Scenario(op.id, op.id, path, {}, frozenset({op.id})))
        out.append(Scenario(f"{op.id} count", op.id, path, {"count": "true"}, frozenset({f"{op.id}?count"})))
    source = p.most_cited_source
    if source is not None and claims_of(source.pk).count() >= 2:  # a row after the deep one
        path = op.path.replace("{id}", source.slug)
        out.append(Scenario(f"{op.id} most cited", op.id, path, {}, frozenset({op.id})))
        out.append(
            Scenario(
                f"{op.id} most cited deep",
                op.id,
                path,
                {},
                frozenset({f"{op.id} deep"}),
                deep_after=deep_values(claims_of(source.pk), CLAIM_ORDER),
                first_page=f"{op.id} most cited",
            )
        )
    return out


def _knowledge_scenarios(op: Operation, path: str, p: Picks) -> list[Scenario]:
    """A detail as its sources first told it (as_of that day, according_to a source
    cited for it) and the day before, when none had: a 404. A record no dated
    source is cited for is a 404 as_of any day."""
    told = p.detail_knowledge(op.resource)
    covers = frozenset({op.id})
    if told is None:
        if p.middle_day is None:
            return []
        return [Scenario(f"{op.id} as_of never told", op.id, path, {"as_of": plain(p.middle_day)}, covers, status=404)]
    day, source = told
    out = [
        Scenario(f"{op.id} as_of", op.id, path, {"as_of": plain(day)}, covers),
        Scenario(f"{op.id} as_of day before", op.id, path, {"as_of": plain(p.day_before(day))}, covers, status=404),
    ]
    if source is not None:
        out.append(Scenario(f"{op.id} according_to", op.id, path, {"according_to": source}, covers))
    return out


def _reconcile_scenarios(op: Operation, p: Picks) -> list[Scenario]:
    """The reconciliation service: its manifest (the operation without ``queries``:
    a batch's answers are the person matcher's scores, which the limit does not
    reimplement), a person's preview card, suggestions of people and parties by
    the start of a name, and of the service's types and properties."""
    covers = frozenset({op.id})
    if op.id == "reconcile":
        return [Scenario(f"{op.id} manifest", op.id, op.path, {}, covers)]
    if op.id == "reconcile_preview":
        return [Scenario(op.id, op.id, op.path, {"id": f"persons/{p.person.slug}"}, covers)] if p.person else []
    if op.id == "reconcile_suggest_entity":
        out = []
        if p.person:
            prefix = p.person.name.split()[0][:4]
            out.append(Scenario(f"{op.id} person", op.id, op.path, {"prefix": prefix}, covers))
            out.append(Scenario(f"{op.id} next", op.id, op.path, {"prefix": prefix, "cursor": 10}, covers))
        if p.party:
            params = {"prefix": p.party.name.split()[0], "type": "party"}
            out.append(Scenario(f"{op.id} party", op.id, op.path, params, covers))
        return out
    return [Scenario(op.id, op.id, op.path, {"prefix": "p"}, covers)]


def _popolo_scenarios(op: Operation, p: Picks) -> list[Scenario]:
    """The Popolo document of the people each of the persons list's filters
    chooses, one scenario per filter. The whole dataset (no filter) is left
    out: at 100k people it is a download of about a gigabyte, not a page."""
    out = []
    for name in op.filters:
        params = filter_params(p, "persons", name)
        if params is not None:
            shown = " ".join(f"{k}={v}" for k, v in params.items())
            out.append(Scenario(f"{op.id} {shown}", op.id, op.path, params, frozenset({op.id, f"{op.id}?{name}"})))
    return out


def served_by_the_limit(op: Operation) -> bool:
    return op.resource in LIMIT_RESOURCES


def build(operations: list[Operation], picks: Picks | None = None) -> list[Scenario]:
    """Scenarios for the operations the limit serves (the others stay uncovered)."""
    p = picks or Picks()
    out = []
    for op in filter(served_by_the_limit, operations):
        if op.id == "health":
            out.append(Scenario(op.id, op.id, op.path, {}, frozenset({op.id}), ignore=frozenset({"milliseconds"})))
        elif op.resource == "reconcile":
            out += _reconcile_scenarios(op, p)
        elif op.id == "sources_claims":
            out += _claims_scenarios(op, p)
        elif op.id == "popolo":
            out += _popolo_scenarios(op, p)
        elif "{id}" in op.path:
            key = p.detail_key(op.resource)
            if key is None:  # none in the corpus: both sides must agree there is none
                path = op.path.replace("{id}", MISSING)
                out.append(Scenario(f"{op.id} missing", op.id, path, {}, frozenset({op.id}), status=404))
                if op.is_list:
                    covers = frozenset({f"{op.id}?count"})
                    out.append(Scenario(f"{op.id} missing count", op.id, path, {"count": "true"}, covers, status=404))
            else:
                path = op.path.replace("{id}", key)
                out.append(Scenario(op.id, op.id, path, {}, frozenset({op.id})))
                if op.id.endswith("_retrieve") and op.resource in KNOWING:
                    out += _knowledge_scenarios(op, path, p)
                if op.is_list:
                    out.append(
                        Scenario(f"{op.id} count", op.id, path, {"count": "true"}, frozenset({f"{op.id}?count"}))
                    )
        elif op.is_list:
            out += _list_scenarios(op, p)
        else:
            out.append(Scenario(op.id, op.id, op.path, {}, frozenset({op.id})))
    return out
