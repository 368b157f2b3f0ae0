"""Import official results into constituencies, contests and candidacies.

All or nothing: every row is checked before anything is written, and the
writes run in one transaction. Importing the same file again changes nothing.
Every record created cites the dataset's Source with the row it came from.

Matching a candidate to an existing person (conservative: never on the name
alone) needs both:
1. exactly one person whose name or one of whose aliases is the candidate's
   name, compared case-, accent- and punctuation-insensitively; and
2. that person already tied to this place: a candidacy in a contest of the
   same constituency (any election), or a candidacy in this election whose
   place is the constituency's district.
Namesakes in one contest are never matched (which of them is the known person
cannot be told), nor is a person who already stands in this contest under
another ballot name. Anyone else becomes a new person, marked as imported from
the dataset; records.identity.proposals then scores those people against
everyone else: a link on strong evidence, else a possible match for a curator.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from records.identifiers import CONSTITUENCY, delimitation_in_force, identifier_problem
from records.identity.proposals import match_imported_people
from records.importers.checks import ContestRows, group_and_check, ranks
from records.importers.districts import AmbiguousDistrict, Districts
from records.importers.party_names import load_party_names
from records.importers.report import Report
from records.importers.rows import ResultRow, RowError, RowErrors
from records.models import (
    Candidacy,
    Citation,
    ClaimLink,
    ClaimStatus,
    Constituency,
    ConstituencyAlias,
    ConstituencyIdentifier,
    Contest,
    Election,
    OrganisationAlias,
    Party,
    Person,
    PersonAlias,
    PersonIdentifier,
    Place,
    PlaceIdentifier,
    Source,
)
from records.readable import readable_name
from records.text import normalise_name, same_place_name, spelling_key

# Claims an official result comes to fulfil (rather than confirm).
UNSETTLED = (ClaimStatus.EXPECTED, ClaimStatus.SPECULATED)


class ResultsImporter:
    def __init__(
        self,
        *,
        election: Election,
        source: Source,
        party_map: dict[str, Party] | None = None,
        party_names: dict[str, str] | None = None,  # abbreviation -> full name; default: the shipped list
        progress: Callable[[Iterable], Iterable] = lambda items: items,
        # Whose numbers the file's are; default: the delimitation in force (records.identifiers).
        delimitation: str | None = None,
        number_scheme: str = "eci-ac",  # eci-pc for a parliamentary election's constituencies
    ):
        self.election = election
        self.jurisdiction = election.jurisdiction
        self.source = source
        self.party_map = {normalise_name(k): v for k, v in (party_map or {}).items()}
        self.party_names = load_party_names() if party_names is None else party_names
        self.progress = progress
        self.delimitation, self.number_scheme = delimitation, number_scheme
        self.report = Report()
        self.citations: list[Citation] = []
        self.official: list[tuple[str, Candidacy]] = []  # (row, candidacy) of every result in the file

    def run(self, rows: Iterable[ResultRow]) -> Report:
        groups = group_and_check(rows, self.election)
        with transaction.atomic():
            self.cited = self._existing_citations()
            constituencies = self._constituencies(groups)
            self._numbers(groups, constituencies)
            contests = self._contests(groups, constituencies)
            parties = self._parties(groups)
            self._index_people(groups)
            for group in self.progress(groups):
                self._candidacies(group, contests[group.number], constituencies[group.number], parties)
            Citation.objects.bulk_create(self.citations, batch_size=1000)
            self.report.created.update(match_imported_people(source=self.source, election=self.election).counts())
            # After the matcher: a candidate it linked to a known person settles that person's claims.
            self.citations = []
            self._settle_claims()
            Citation.objects.bulk_create(self.citations, batch_size=1000)
        return self.report

    # -- citations --------------------------------------------------------

    def _existing_citations(self) -> set[tuple[int, int, str, str]]:
        cited = Citation.objects.filter(source=self.source)
        return set(cited.values_list("content_type_id", "object_id", "locator", "field"))

    def _cite(self, record: models.Model, locator: str, field: str = "") -> None:
        content_type = ContentType.objects.get_for_model(record, for_concrete_model=True)
        key = (content_type.id, record.pk, locator, field)
        if key not in self.cited:
            self.cited.add(key)
            self.citations.append(
                Citation(
                    source=self.source, content_type=content_type, object_id=record.pk, locator=locator, field=field
                )
            )

    # -- constituencies, districts, contests ------------------------------

    def _constituencies(self, groups: list[ContestRows]) -> dict[int, Constituency]:
        existing = {
            c.number: c for c in Constituency.objects.filter(jurisdiction=self.jurisdiction).prefetch_related("aliases")
        }
        # Who bears each name (or alias): a spelling that names another constituency is no alias of this one.
        self.constituency_names: dict[str, set[Constituency]] = defaultdict(set)
        for constituency in existing.values():
            for name in [constituency.name, *(a.name for a in constituency.aliases.all())]:
                self.constituency_names[normalise_name(name)].add(constituency)
        self.districts = Districts(self.jurisdiction)
        out, conflicts = {}, []
        for group in groups:
            row = group.first
            try:
                district = self._district(row) if row.district else None
                constituency = existing.get(group.number)
                if constituency is not None and not self._known_as(constituency, row):
                    raise RowError(
                        row.locator,
                        f"constituency {group.number} is {constituency.name!r} already, not {row.constituency_name!r}",
                    )
            except RowError as error:
                conflicts.append(error)
                continue
            if constituency is None:
                name = readable_name(row.constituency_name)
                constituency = Constituency.objects.create(
                    slug=f"{self.jurisdiction.slug}-{group.number:03d}-{slugify(name)}"[:120],
                    jurisdiction=self.jurisdiction,
                    number=group.number,
                    name=name,
                    reservation=row.reservation,
                    district=district,
                )
                self.constituency_names[normalise_name(name)].add(constituency)
                self.report.created["constituencies"] += 1
            else:
                changed = self._fill(constituency, reservation=row.reservation, district_id=district and district.pk)
                self.report.updated["constituencies"] += changed
                self.report.matched["constituencies"] += not changed
            self._cite(constituency, row.locator.rsplit(".", 1)[0])
            out[group.number] = constituency
        if conflicts:  # every one of the file's, in one run
            raise RowErrors(conflicts)
        return out

    def _numbers(self, groups: list[ContestRows], constituencies: dict[int, Constituency]) -> None:
        """Each constituency's number as the identifier of its delimitation
        ("eci-ac:2008:UP:14"), citing the file's constituency, so that another
        delimitation's numbers can sit beside it. Recorded where the delimitation
        and the state are known; a number already another constituency's is
        left alone and reported."""
        state = self._state_code(groups)
        polling_day = self.election.start_earliest
        delimitation = self.delimitation or (state and delimitation_in_force(state, polling_day))
        if not state or not delimitation:
            missing = "the delimitation (--delimitation)" if state else "the state's code (a state column)"
            self.report.notes.append(
                f"constituency numbers not recorded as {self.number_scheme} identifiers: {missing} is not known"
            )
            return
        values = {group.number: f"{delimitation}:{state}:{group.number}" for group in groups}
        for group in groups:
            problem = identifier_problem(CONSTITUENCY, self.number_scheme, values[group.number])
            if problem is not None:
                raise RowError(group.first.locator.rsplit(".", 1)[0], problem[1])
        recorded = ConstituencyIdentifier.objects.filter(scheme=self.number_scheme, value__in=values.values())
        held = {identifier.value: identifier for identifier in recorded}
        new, known = [], []
        for group in groups:
            value, constituency = values[group.number], constituencies[group.number]
            identifier = held.get(value)
            if identifier is None:
                identifier = ConstituencyIdentifier(constituency=constituency, scheme=self.number_scheme, value=value)
                new.append((group, identifier))
            elif identifier.constituency_id == constituency.pk:
                known.append((group, identifier))
            else:
                self.report.identifier_conflicts.append(f"{self.number_scheme}:{value} is another constituency's")
        ConstituencyIdentifier.objects.bulk_create([identifier for _, identifier in new])
        for group, identifier in [*new, *known]:
            self._cite(identifier, group.first.locator.rsplit(".", 1)[0])
        self.report.created["constituency identifiers"] += len(new)
        self.report.matched["constituency identifiers"] += len(known)

    def _state_code(self, groups: list[ContestRows]) -> str:
        """The jurisdiction's state code: from its iso-3166-2 identifier, else as the
        file gives it (the same in every row); the two must agree."""
        given = {row.state for group in groups for row in group.rows if row.state}
        if len(given) > 1:
            raise RowError("file", f"the rows name several states ({', '.join(sorted(given))}), not one")
        iso = (
            PlaceIdentifier.objects.filter(place=self.jurisdiction, scheme="iso-3166-2", value__startswith="IN-")
            .values_list("value", flat=True)
            .first()
        )
        known = iso.removeprefix("IN-") if iso else ""
        if known and given and given != {known}:
            (state,) = given
            raise RowError("file", f"state {state} is not {self.jurisdiction.name}'s (iso-3166-2:{iso})")
        return known or next(iter(given), "")

    def _known_as(self, constituency: Constituency, row: ResultRow) -> bool:
        """Whether the row's name is the constituency's: its name or an alias, or
        another spelling of one (records.text.same_place_name), which is then
        recorded as an alias citing this dataset. A spelling that is another
        constituency's name or alias is refused (RowError naming both)."""
        given = row.constituency_name
        aliases = list(constituency.aliases.all())
        if normalise_name(given) == normalise_name(constituency.name):
            return True
        alias = next((a for a in aliases if a.search_name == normalise_name(given)), None)
        if alias is None:
            if not any(same_place_name(name, given) for name in [constituency.name, *(a.name for a in aliases)]):
                return False
            others = sorted(self.constituency_names[normalise_name(given)] - {constituency}, key=lambda c: c.number)
            if others:
                named = ", ".join(f"{other.number} ({other.name})" for other in others)
                raise RowError(
                    row.locator,
                    f"{given!r} for constituency {constituency.number} ({constituency.name}) names constituency "
                    f"{named} already; it cannot be an alias of both",
                )
            alias = ConstituencyAlias.objects.create(constituency=constituency, name=given)
            self.constituency_names[normalise_name(given)].add(constituency)
            self.report.created["constituency aliases"] += 1
        else:
            self.report.matched["constituency aliases"] += 1
        self._cite(alias, row.locator.rsplit(".", 1)[0])
        return True

    def _district(self, row: ResultRow) -> Place:
        """The district the row names (records/importers/districts.py), its spelling
        recorded as an other name where it differs; else a new, readably named one."""
        try:
            district, respelled = self.districts.find(row.district)
        except AmbiguousDistrict as error:
            raise RowError(row.locator, str(error)) from None
        if district is None:
            name = readable_name(row.district)
            district = Place.objects.create(
                slug=_free_slug(Place, f"{slugify(name)}-district"),
                name=name,
                kind=Place.Kind.DISTRICT,
                parent=self.jurisdiction,
            )
            self.districts.add(district)
            self.report.created["districts"] += 1
        elif respelled:
            district.other_names = sorted({*district.other_names, row.district})
            district.save()
            self.report.created["district other names"] += 1
        elif normalise_name(row.district) != district.search_name:
            self.report.matched["district other names"] += 1
        if normalise_name(row.district) != district.search_name:  # known by another name: the file uses it
            self._cite(district, row.locator, field="other_names")
        self._cite(district, row.locator)
        return district

    def _contests(self, groups: list[ContestRows], constituencies: dict[int, Constituency]) -> dict[int, Contest]:
        existing = {c.constituency_id: c for c in Contest.objects.filter(election=self.election)}
        out = {}
        for group in groups:
            row, constituency = group.first, constituencies[group.number]
            nota = next((r.votes for r in group.rows if r.is_nota), None)
            self.report.nota_counts += nota is not None
            values = {
                "total_votes": row.total_votes if row.total_votes is not None else sum(r.votes for r in group.rows),
                "nota_votes": nota,
                "electors": row.electors,
            }
            contest = existing.get(constituency.pk)
            if contest is None:
                contest = Contest.objects.create(election=self.election, constituency=constituency, **values)
                self.report.created["contests"] += 1
            else:
                changed = self._fill(contest, overwrite=True, **values)
                self.report.updated["contests"] += changed
                self.report.matched["contests"] += not changed
            self._cite(contest, row.locator.rsplit(".", 1)[0])
            out[group.number] = contest
        return out

    # -- parties ----------------------------------------------------------

    def _parties(self, groups: list[ContestRows]) -> dict[str, Party]:
        names = {r.party: r for g in groups for r in g.rows if r.party}
        index: dict[str, Party] = {}
        for party in Party.objects.all():
            for key in (party.search_name, normalise_name(party.abbreviation)):
                if key:
                    index.setdefault(key, party)
        for alias in OrganisationAlias.objects.filter(organisation__kind="party").select_related("organisation"):
            index.setdefault(alias.search_name, alias.organisation)
        out = {}
        for name, row in sorted(names.items()):
            key = normalise_name(name)
            known = index.get(key)
            party = self.party_map.get(key, known)  # the map is explicit: it wins over a name match
            # An abbreviation of the reference list (records/importers/party_names.py): its full name.
            full_name = self.party_names.get(key) if party is None else None
            if full_name is not None:
                party = index.get(normalise_name(full_name))
            if party is not None and party != known:
                kind = "abbreviation" if full_name is not None else "other"
                alias, created = OrganisationAlias.objects.get_or_create(
                    organisation=party, search_name=key, defaults={"name": name, "kind": kind}
                )
                self._cite(alias, row.locator)
                self.report.created["party aliases"] += created
            if party is None:
                # Named readably: by the full name an abbreviation stands for, where the list knows it.
                readable = full_name or name
                party = Party.objects.create(
                    slug=_free_slug(Party, slugify(readable) or "party"),
                    name=readable,
                    abbreviation=name if full_name else "",
                )
                self.report.created["parties"] += 1
                self.report.new_parties.append(readable)
                index[normalise_name(readable)] = party
            else:
                self.report.matched["parties"] += 1
            self._cite(party, row.locator)
            index[key] = party
            out[name] = party
        return out

    # -- candidacies and people -------------------------------------------

    def _index_people(self, groups: list[ContestRows]) -> None:
        """Who already bears each candidate's name (one query each for names and aliases)."""
        keys = {normalise_name(r.candidate) for g in groups for r in g.candidates}
        self.named: dict[str, set[int]] = defaultdict(set)
        for key, pk in Person.objects.filter(search_name__in=keys).values_list("search_name", "pk"):
            self.named[key].add(pk)
        for key, pk in PersonAlias.objects.filter(search_name__in=keys).values_list("search_name", "person_id"):
            self.named[key].add(pk)
        self.person_slugs = set(Person.objects.values_list("slug", flat=True))
        # Who already carries each candidate's identifier (one query for the holders, one for
        # their names). An identifier the file gives to several candidates is a slip of the
        # dataset (two different winners share one MyNeta link in the 2017 file): not used.
        given = Counter(r.identifier for g in groups for r in g.candidates if r.identifier)
        self.ambiguous = {identifier for identifier, n in given.items() if n > 1}
        for scheme, value in sorted(self.ambiguous):
            self.report.identifier_conflicts.append(f"{scheme}:{value} given to {given[(scheme, value)]} rows")
        by_scheme = defaultdict(set)
        for scheme, value in set(given) - self.ambiguous:
            by_scheme[scheme].add(value)
        self.identified: dict[tuple[str, str], int] = {}
        self.holder_names: dict[int, set[str]] = {}
        if by_scheme:
            condition = models.Q()
            for scheme, values in by_scheme.items():
                condition |= models.Q(scheme=scheme, value__in=values)
            holders = PersonIdentifier.objects.filter(condition).values_list("scheme", "value", "person_id")
            self.identified = {(scheme, value): pk for scheme, value, pk in holders}
            for pk, name in Person.objects.filter(pk__in=set(self.identified.values())).values_list("pk", "name"):
                self.holder_names[pk] = set(spelling_key(name).split())

    def _candidacies(self, group: ContestRows, contest: Contest, constituency: Constituency, parties) -> None:
        existing, seen, standing = {}, Counter(), set()
        for candidacy in contest.candidacies.order_by("id"):
            name = normalise_name(candidacy.ballot_name)
            seen[name] += 1
            existing[(name, seen[name])] = candidacy
            standing.add(candidacy.person_id)
        namesakes = Counter(normalise_name(r.candidate) for r in group.candidates)
        rank_of = ranks(group.candidates)
        top = sorted((r.votes for r in group.candidates), reverse=True)
        winner = next((r for r in group.candidates if r.won), None) or max(group.candidates, key=lambda r: r.votes)
        new: list[tuple[ResultRow, Candidacy]] = []
        changed: list[Candidacy] = []
        identified: list[tuple[ResultRow, Candidacy]] = []
        seen.clear()
        for row in group.candidates:
            name = normalise_name(row.candidate)
            seen[name] += 1
            party = parties.get(row.party)
            values = {
                "party_id": party.pk if party else None,
                "votes": row.votes,
                "rank": rank_of[row.locator],
                "won": row is winner,
                "margin": (top[0] - top[1]) if row is winner and len(top) > 1 else None,
            }
            candidacy = existing.get((name, seen[name]))
            if candidacy is None:
                candidacy = Candidacy(
                    election=self.election, contest=contest, ballot_name=row.candidate, status="confirmed", **values
                )
                alone = namesakes[name] == 1
                candidacy.person = self._person(row, constituency, standing if alone else None)
                if candidacy.person.pk is not None:
                    standing.add(candidacy.person.pk)
                new.append((row, candidacy))
            elif self._differs(candidacy, values):
                candidacy.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
                changed.append(candidacy)
            else:
                self.report.matched["candidacies"] += 1
            if candidacy.pk is not None:
                self._cite(candidacy, row.locator)
            self.official.append((row.locator, candidacy))
            if row.identifier and row.identifier not in self.ambiguous:
                identified.append((row, candidacy))
        new_people = [(row, c.person) for row, c in new if c.person.pk is None]
        Person.objects.bulk_create([person for _, person in new_people])
        for row, person in new_people:
            self._cite(person, row.locator)
        for _, candidacy in new:
            candidacy.person_id = candidacy.person.pk
        Candidacy.objects.bulk_create([c for _, c in new])
        for row, candidacy in new:
            self._cite(candidacy, row.locator)

        Candidacy.objects.bulk_update(changed, ["party", "votes", "rank", "won", "margin", "updated_at"])
        self.report.created["candidacies"] += len(new)
        self.report.updated["candidacies"] += len(changed)
        for row, candidacy in identified:
            self._identify(row, candidacy.person_id)

    def _settle_claims(self) -> None:
        """An official result settles what sources had claimed of the same
        person in the same election (a candidacy without a contest): it
        ``fulfils`` an expected or speculated candidacy and ``confirms`` one
        stated as fact, a link cited to the result's row. The claim stays as
        it was said; no second candidacy of the person is made."""
        locators = {candidacy.pk: locator for locator, candidacy in self.official}
        official_of = defaultdict(list)  # whose they are now (the matcher may have merged people)
        for pk, person_id in Candidacy.objects.filter(pk__in=list(locators)).values_list("pk", "person_id"):
            official_of[person_id].append((locators[pk], pk))
        claimed = Candidacy.objects.filter(
            election=self.election, contest__isnull=True, person_id__in=list(official_of)
        ).values_list("id", "person_id", "status")
        content_type = ContentType.objects.get_for_model(Candidacy)
        linked = set(
            ClaimLink.objects.filter(claim_type=content_type, target_type=content_type).values_list(
                "claim_id", "target_id"
            )
        )
        for claim_id, person_id, status in claimed:
            kind = ClaimLink.Kind.FULFILS if status in UNSETTLED else ClaimLink.Kind.CONFIRMS
            for locator, official_id in official_of[person_id]:
                if (official_id, claim_id) in linked:
                    self.report.matched["claim links"] += 1
                    continue
                link = ClaimLink.objects.create(
                    claim_type=content_type,
                    claim_id=official_id,
                    kind=kind,
                    target_type=content_type,
                    target_id=claim_id,
                )
                self._cite(link, locator)
                self.report.created["claim links"] += 1

    def _identify(self, row: ResultRow, person_id: int) -> None:
        """Records the candidate's identifier on their person, citing the row; one
        already on another person is left alone and reported (a curator decides)."""
        holder = self.identified.get(row.identifier)
        if holder is not None and holder != person_id:
            scheme, value = row.identifier
            self.report.identifier_conflicts.append(f"{row.locator}: {scheme}:{value} is another person's")
            return
        scheme, value = row.identifier
        identifier, created = PersonIdentifier.objects.get_or_create(
            scheme=scheme, value=value, defaults={"person_id": person_id}
        )
        self.identified[row.identifier] = person_id
        self.report.created["person identifiers"] += created
        self.report.matched["person identifiers"] += not created
        self._cite(identifier, row.locator)

    def _person(self, row: ResultRow, constituency: Constituency, standing: set[int] | None) -> Person:
        """An existing person under the matching rule (module docstring), or a new, unsaved one.

        ``standing``: who already stands in this contest (never matched again); None when the
        candidate's name occurs more than once in the contest (never matched at all).
        """
        known = self.identified.get(row.identifier) if row.identifier else None
        shares_a_word = known is not None and self.holder_names[known] & set(spelling_key(row.candidate).split())
        if shares_a_word and standing is not None and known not in standing:
            # The same record of the same database, under a name sharing a word: the same person.
            self.report.matched["people"] += 1
            return Person.objects.get(pk=known)
        named = self.named.get(normalise_name(row.candidate), set())
        if standing is not None and len(named) == 1 and not named & standing:
            (person_id,) = named
            here = Candidacy.objects.filter(person_id=person_id).filter(
                models.Q(contest__constituency=constituency)
                | models.Q(election=self.election, place_id=constituency.district_id, place__isnull=False)
            )
            if here.exists():
                self.report.matched["people"] += 1
                return Person.objects.get(pk=person_id)
        slug = base = slugify(row.candidate)[:100] or "candidate"
        n = 1
        while slug in self.person_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.person_slugs.add(slug)
        self.report.created["people"] += 1
        return Person(slug=slug, name=readable_name(row.candidate), imported_from=self.source)

    @staticmethod
    def _differs(record: models.Model, values: dict) -> bool:
        changed = False
        for name, value in values.items():
            if getattr(record, name) != value:
                setattr(record, name, value)
                changed = True
        return changed

    # -- helpers ----------------------------------------------------------

    @staticmethod
    def _fill(record: models.Model, *, overwrite: bool = False, **values) -> bool:
        """Set values that differ (only empty ones unless ``overwrite``); save if any did."""
        changed = []
        for name, value in values.items():
            current = getattr(record, name)
            if value in (None, "") or current == value:
                continue
            if overwrite or current in (None, ""):
                setattr(record, name, value)
                changed.append(name)
        if changed:
            record.save(update_fields=[*changed, "updated_at"])
        return bool(changed)


def _free_slug(model: type[models.Model], base: str) -> str:
    base = base[:100] or "record"
    slug, n = base, 1
    while model._base_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
