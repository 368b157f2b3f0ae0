"""After an import: the people it created, matched against everyone else.

The results importer links a candidate to a known person only by name and
place (records/importers/results.py); anyone else becomes a new person
"imported from" the dataset. This pass then scores each such person against
the people of other sources (records.identity.matcher):
- at the link threshold, with a clear lead, and no other new person of the
  run claiming the same match: the new record is merged into the known one
  (records.curation.merge, so the link can be undone like any merge) and the
  question is recorded as accepted with its evidence, decided by nobody;
- from the proposal floor: an open possible match for a curator;
- pairs a curator has decided before (or that are open) are never raised again.
Two people of the same dataset are never paired: the dataset tells them apart.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from records.curation.merge import MergeError, merge_people
from records.identity.matcher import CandidateRecord, Decision, KnownPerson, Matcher, PeoplePool, Scored
from records.models import Election, Person, PossibleMatch, Source


@dataclass
class MatchRun:
    linked: list[PossibleMatch] = field(default_factory=list)
    proposed: list[PossibleMatch] = field(default_factory=list)

    def counts(self) -> Counter:
        """For the import's report: what the pass made, leaving out what it did not."""
        return +Counter(
            {"people linked by the person matcher": len(self.linked), "possible matches": len(self.proposed)}
        )


def match_imported_people(*, source: Source, election: Election, matcher_options: dict | None = None) -> MatchRun:
    """Links or proposes the people ``source`` created who stand in ``election`` (atomic)."""
    run = MatchRun()
    imported = Person.objects.filter(imported_from=source, candidacies__election=election).distinct()
    with transaction.atomic():
        subjects = PeoplePool.load(imported).people
        if not subjects:
            return run
        matcher = Matcher(PeoplePool.load(Person.objects.exclude(imported_from=source)), **(matcher_options or {}))
        asked = _pairs_asked(imported)
        decisions = {
            person.id: matcher.decide(subject_record(person, election), asked[person.id])
            for person in subjects.values()
        }
        wanted = defaultdict(list)
        for person_id, decision in decisions.items():
            if decision.link is not None:
                wanted[decision.link.person_id].append(person_id)
        for person_id, decision in sorted(decisions.items()):
            link = decision.link
            linked = _link(source, person_id, link) if link is not None and len(wanted[link.person_id]) == 1 else None
            if linked is not None:
                run.linked.append(linked)
            proposals = [] if linked is not None else _proposals(decision, keep_link=link is not None)
            run.proposed += [_proposal(source, person_id, scored) for scored in proposals]
        PossibleMatch.objects.bulk_create(run.proposed)
    return run


def subject_record(person: KnownPerson, election: Election) -> CandidateRecord:
    """A person of the import as the record the matcher compares: their candidacy in the election."""
    here = next(c for c in person.candidacies if c.election_id == election.pk)
    return CandidateRecord(
        name=person.name,
        other_names=tuple(name for name in person.names if name != person.name),
        election_id=election.pk,
        constituency_id=here.constituency_id,
        constituency_name=here.constituency,
        district_id=here.district_id,
        district_name=here.district,
        party_id=here.party_id,
        born=person.born,
        contest_ids=frozenset(c.contest_id for c in person.candidacies if c.contest_id),
    )


def _pairs_asked(people) -> defaultdict[int, set[int]]:
    """Person id -> the people a possible match already pairs them with (open or decided)."""
    rows = PossibleMatch.objects.filter(Q(incoming__in=people) | Q(existing__in=people)).values_list(
        "incoming_id", "existing_id"
    )
    asked = defaultdict(set)
    for one, other in rows:
        asked[one].add(other)
        asked[other].add(one)
    return asked


def _proposals(decision: Decision, *, keep_link: bool) -> list[Scored]:
    """The open questions: the proposals, and a link not made (two new people
    claimed the same person, or the merge was refused): a curator decides."""
    chosen = list(decision.proposals)
    if keep_link:
        chosen.insert(0, decision.link)
    return chosen


def _proposal(source: Source, person_id: int, scored: Scored) -> PossibleMatch:
    return PossibleMatch(
        incoming_id=person_id,
        existing_id=scored.person_id,
        score=scored.score,
        evidence=scored.evidence_json(),
        source=source,
    )


def _link(source: Source, person_id: int, scored: Scored) -> PossibleMatch | None:
    """The new record merged into the known person, and the evidence kept as an
    accepted match; None when the merge is refused (then a curator decides)."""
    reasons = "; ".join(f"{piece.name} ({piece.weight:+g})" for piece in scored.evidence)
    note = f"Linked by the person matcher on importing {source.slug}: score {scored.score:g} ({reasons})."
    try:
        merge = merge_people(scored.person_id, person_id, None, note=note)
    except MergeError:
        return None
    return PossibleMatch.objects.create(
        incoming_id=person_id,
        existing_id=scored.person_id,
        score=scored.score,
        evidence=scored.evidence_json(),
        source=source,
        status=PossibleMatch.Status.ACCEPTED,
        decided_at=timezone.now(),
        note=note,
        merge=merge,
    )
