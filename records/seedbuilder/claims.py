"""Readers of the claim sections: relations, postings, events, candidacies.

A claim is merged with the same claim of other documents by its key: a
person's posting, event or candidacy ``key``, or a relation's (subject, kind,
object). A keyed claim may link to an earlier claim of the same person
(``links``: supersedes, fulfils, confirms, contradicts, retracts), in this
build or, when ingesting into a database, already recorded there.
"""

from __future__ import annotations

from records.models import Candidacy, ClaimLink, Event, Government, Organisation, PersonRelation, Posting
from records.seedbuilder.annotations import Mapping
from records.seedbuilder.reading import Where
from records.seedbuilder.registry import PendingLink, Registry


class ClaimReaders(Registry):
    """``_read_<section>(spec, where)`` for each claim section."""

    def _read_relation(self, spec: Mapping, where: Where) -> None:
        if not self._check_keys(
            spec, {"subject", "kind", "object", "status", "cite"}, {"subject", "kind", "object", "status"}, where
        ):
            return
        subject = self._ref(where.child("subject"), "person", spec["subject"])
        obj = self._ref(where.child("object"), "person", spec["object"])
        if not (subject and obj):
            return
        relation = PersonRelation(
            subject_id=subject.obj.pk, object_id=obj.obj.pk, kind=spec["kind"], status=spec["status"]
        )
        key = ("relation", subject.obj.pk, spec["kind"], obj.obj.pk)
        self._claim(key, relation, where, self._cites(spec.get("cite"), where), {"status": spec["status"]})

    def _read_government(self, spec: Mapping, where: Where) -> None:
        allowed = {"party", "place", "start", "end", "status", "cite"}
        if not self._check_keys(spec, allowed, {"party", "place", "status"}, where):
            return
        cites = self._cites(spec.get("cite"), where)
        party = self._ref(where.child("party"), "organisation", spec["party"])
        place_id = self._ref_pk(where.child("place"), "place", spec["place"])
        if party is None or place_id is None:
            return
        if party.obj.kind != Organisation.Kind.PARTY:
            kind = f"an organisation of kind {party.obj.kind!r}"
            self._problem(where.child("party"), f"{spec['party']!r} is {kind}, not a party")
            return
        party_id = party.obj.pk
        fields = {"status": spec["status"]}
        for name in ("start", "end"):
            if spec.get(name) is not None:
                fields[name] = self._date(spec[name], name, cites, where.child(name))
        government = Government(party_id=party_id, place_id=place_id, **fields)
        self._claim(("government", party_id, place_id), government, where, cites, fields)

    def _read_posting(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "role", "rank", "organisation", "place", "serves", "start", "end", "previous"}
        allowed |= {"note"}
        allowed |= {"status", "cite", "links"}
        if not self._check_keys(spec, allowed, {"key", "person", "role", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        if not person:
            return
        cites = self._cites(spec.get("cite"), where)
        fields = {"role": spec["role"], "rank": str(spec.get("rank") or ""), "note": str(spec.get("note") or "")}
        fields["status"] = spec["status"]
        for name in ("organisation", "place"):
            if spec.get(name):
                fields[f"{name}_id"] = self._ref_pk(where.child(name), name, spec[name])
        if spec.get("serves"):
            fields["serves_id"] = self._ref_pk(where.child("serves"), "person", spec["serves"])
        for name in ("start", "end"):
            if spec.get(name) is not None:
                fields[name] = self._date(spec[name], name, cites, where.child(name))
        posting = Posting(person_id=person.obj.pk, key=str(spec["key"]), **fields)
        entry = self._claim(("posting", person.obj.pk, str(spec["key"])), posting, where, cites, fields)
        if entry and spec.get("previous"):
            self.deferred.append(("posting_previous", entry, where, str(spec["previous"])))
        self._read_links(entry, spec, where, cites)

    def _read_event(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "kind", "title", "organisation", "date", "participants", "contradicts"}
        allowed |= {"status", "cite", "links"}
        if not self._check_keys(spec, allowed, {"key", "person", "kind", "title", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        if not person:
            return
        cites = self._cites(spec.get("cite"), where)
        fields = {"kind": spec["kind"], "title": spec["title"], "status": spec["status"]}
        if spec.get("organisation"):
            fields["organisation_id"] = self._ref_pk(where.child("organisation"), "organisation", spec["organisation"])
        if spec.get("date") is not None:
            fields["date"] = self._date(spec["date"], "date", cites, where.child("date"))
        event = Event(person_id=person.obj.pk, key=str(spec["key"]), **fields)
        entry = self._claim(("event", person.obj.pk, str(spec["key"])), event, where, cites, fields)
        if not entry:
            return
        self._read_links(entry, spec, where, cites)
        for participant in self._string_list(spec.get("participants"), where.child("participants")):
            ref = self._ref(where.child("participants"), "person", participant)
            if ref:
                entry.m2m["participants"].add(ref.obj.pk)
        for other in self._string_list(spec.get("contradicts"), where.child("contradicts")):
            self.deferred.append(("event_contradicts", entry, where, other))

    def _read_candidacy(self, spec: Mapping, where: Where) -> None:
        allowed = {"key", "person", "election", "party", "place", "status", "cite", "links"}
        if not self._check_keys(spec, allowed, {"key", "person", "election", "status"}, where):
            return
        person = self._ref(where.child("person"), "person", spec["person"])
        election = self._ref(where.child("election"), "election", spec["election"])
        if not (person and election):
            return
        fields: dict[str, object] = {"election_id": election.obj.pk, "status": spec["status"]}
        for name, kind in (("party", "organisation"), ("place", "place")):
            if spec.get(name):
                fields[f"{name}_id"] = self._ref_pk(where.child(name), kind, spec[name])
        candidacy = Candidacy(person_id=person.obj.pk, key=str(spec["key"]), **fields)
        key = ("candidacy", person.obj.pk, str(spec["key"]))
        cites = self._cites(spec.get("cite"), where)
        self._read_links(self._claim(key, candidacy, where, cites, fields), spec, where, cites)

    def _read_links(self, entry, spec: Mapping, where: Where, claim_cites) -> None:
        """``links: [{kind, claim: [posting:|event:|candidacy:]<key>, cite}]``: resolved
        once every document is read (``Registry._resolve_links``). A link without
        its own quote is supported by the claim's."""
        for sub, link in self._mappings(spec, "links", where):
            if entry is None or not self._check_keys(link, {"kind", "claim", "cite"}, {"kind", "claim"}, sub):
                continue
            if link["kind"] not in ClaimLink.Kind.values:
                self._problem(
                    sub.child("kind"), f"unknown link kind {link['kind']!r} (one of {', '.join(ClaimLink.Kind.values)})"
                )
                continue
            cites = self._cites(link.get("cite"), sub) if link.get("cite") else list(claim_cites)
            self.pending_links.append(PendingLink(entry, str(link["kind"]), str(link["claim"]), sub, cites))
