"""The known names a text may contain, looked up in the database once per call.

Nothing is loaded whole: the candidate spans of the text (records/suggestions/
known.py) are looked up, in a few queries per table, by equality on the
indexed search columns (``search_name``: case, accents and punctuation
ignored; ``search_key``: spelling variants such as "Aseem"/"Asim") and on
organisations' abbreviations as written. The one exception is places'
``other_names`` (a list in one column, not equality-indexed): the places that
have any are few (abbreviations of states, "UP") and are read whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from records.models import (
    Constituency,
    ConstituencyAlias,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Place,
)
from records.suggestions.types import Kind, RecordRef
from records.text import normalise_name

# Parameters per query: two lists (names and keys) stay under SQLite's 999.
CHUNK = 400

# How much each way of agreeing with a name is worth (RecordRef.score).
SCORE_NAME = 1.0
SCORE_ALIAS = 0.95
SCORE_ABBREVIATION = 0.9
SCORE_MISSPELLING = 0.9
SCORE_SPELLING_KEY = 0.85


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for index in range(0, len(values), CHUNK):
        yield values[index : index + CHUNK]


def _organisation_kind(kind: str) -> str:
    return Kind.PARTY if kind == Organisation.Kind.PARTY else Kind.ORGANISATION


def _place_kind(kind: str) -> str:
    return Kind.CONSTITUENCY if kind == Place.Kind.CONSTITUENCY else Kind.PLACE


def _constituency_name(name: str, reservation: str) -> str:
    return f"{name} ({reservation})" if reservation and reservation != "GEN" else name


class Gazetteer:
    """Known records by the normalised form of a name (``normalise_name``)
    and by its spelling key; each RecordRef says how the name agreed."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[RecordRef]] = defaultdict(list)
        self.by_key: dict[str, list[RecordRef]] = defaultdict(list)
        self.by_abbreviation: dict[str, list[RecordRef]] = defaultdict(list)
        self.reservations: dict[int, str] = {}  # constituency pk -> SC / ST / GEN

    @classmethod
    def for_spans(cls, forms: Iterable[tuple[str, str]], surfaces: Iterable[str]) -> Gazetteer:
        """The records the spans of a text may name: ``forms`` are their
        (normalised form, spelling key) pairs (tokens.span_forms), ``surfaces``
        their text as written, which abbreviations are compared with."""
        forms = set(forms)
        names = sorted({name for name, _ in forms} - {""})
        keys = sorted({key for _, key in forms} - {""})
        gazetteer = cls()
        for chunk_names, chunk_keys in _paired_chunks(names, keys):
            gazetteer._load(chunk_names, chunk_keys)
        for chunk in _chunks(sorted(s for s in set(surfaces) if len(s) <= 32)):
            gazetteer._load_abbreviations(chunk)
        gazetteer._load_other_names(set(names))
        return gazetteer

    def lookup(self, name: str, key: str, surface: str) -> list[RecordRef]:
        """Every record a span may name, best first, one entry per record:
        ``name`` and ``key`` are its forms (tokens.span_forms), ``surface`` its text."""
        found = [*self.by_name.get(name, ()), *self.by_abbreviation.get(surface, ())]
        if key:
            found += self.by_key.get(key, ())
        best: dict[tuple[str, int], RecordRef] = {}
        for ref in found:
            known = best.get((ref.model, ref.pk))
            if known is None or ref.score > known.score:
                best[(ref.model, ref.pk)] = ref
        return sorted(best.values(), key=lambda r: (-r.score, r.model, r.pk))

    # -- loading ------------------------------------------------------------------

    def _add(self, search_name: str, search_key: str, ref: RecordRef, key_score: float = SCORE_SPELLING_KEY) -> None:
        self.by_name[search_name].append(ref)
        if search_key:
            how = f"{ref.how}, spelt differently"
            self.by_key[search_key].append(_rescored(ref, min(key_score, ref.score), how))

    def _load(self, names: list[str], keys: list[str]) -> None:
        def matching(model, prefix: str = ""):
            return model.objects.filter(**{f"{prefix}search_name__in": names}) | model.objects.filter(
                **{f"{prefix}search_key__in": keys}
            )

        for row in matching(Person).values("id", "slug", "name", "search_name", "search_key"):
            ref = RecordRef(
                "records.Person", row["id"], row["slug"], row["name"], Kind.PERSON, SCORE_NAME, row["name"], "name"
            )
            self._add(row["search_name"], row["search_key"], ref)
        aliases = matching(PersonAlias).values(
            "person_id", "person__slug", "person__name", "name", "kind", "search_name", "search_key"
        )
        for row in aliases:
            score = SCORE_MISSPELLING if row["kind"] == PersonAlias.Kind.MISSPELLING else SCORE_ALIAS
            ref = RecordRef(
                "records.Person", row["person_id"], row["person__slug"], row["person__name"], Kind.PERSON,
                score, row["name"], f"other name ({row['kind'].replace('_', ' ')})",
            )  # fmt: skip
            self._add(row["search_name"], row["search_key"], ref)
        for row in matching(Organisation).values("id", "slug", "name", "kind", "search_name", "search_key"):
            ref = RecordRef(
                "records.Organisation", row["id"], row["slug"], row["name"], _organisation_kind(row["kind"]),
                SCORE_NAME, row["name"], "name",
            )  # fmt: skip
            self._add(row["search_name"], row["search_key"], ref)
        aliases = matching(OrganisationAlias).values(
            "organisation_id", "organisation__slug", "organisation__name", "organisation__kind",
            "name", "kind", "search_name", "search_key",
        )  # fmt: skip
        for row in aliases:
            score = SCORE_MISSPELLING if row["kind"] == OrganisationAlias.Kind.MISSPELLING else SCORE_ALIAS
            ref = RecordRef(
                "records.Organisation", row["organisation_id"], row["organisation__slug"], row["organisation__name"],
                _organisation_kind(row["organisation__kind"]), score, row["name"],
                f"other name ({row['kind'].replace('_', ' ')})",
            )  # fmt: skip
            self._add(row["search_name"], row["search_key"], ref)
        for row in matching(Place).values("id", "slug", "name", "kind", "search_name", "search_key"):
            ref = RecordRef(
                "records.Place", row["id"], row["slug"], row["name"], _place_kind(row["kind"]),
                SCORE_NAME, row["name"], "name",
            )  # fmt: skip
            self._add(row["search_name"], row["search_key"], ref)
        rows = matching(Constituency).values("id", "slug", "name", "reservation", "search_name", "search_key")
        for row in rows:
            self.reservations[row["id"]] = row["reservation"]
            shown = _constituency_name(row["name"], row["reservation"])
            ref = RecordRef(
                "records.Constituency",
                row["id"],
                row["slug"],
                shown,
                Kind.CONSTITUENCY,
                SCORE_NAME,
                row["name"],
                "name",
            )
            self._add(row["search_name"], row["search_key"], ref)
        aliases = matching(ConstituencyAlias).values(
            "constituency_id", "constituency__slug", "constituency__name", "constituency__reservation",
            "name", "search_name", "search_key",
        )  # fmt: skip
        for row in aliases:
            self.reservations[row["constituency_id"]] = row["constituency__reservation"]
            shown = _constituency_name(row["constituency__name"], row["constituency__reservation"])
            ref = RecordRef(
                "records.Constituency", row["constituency_id"], row["constituency__slug"], shown,
                Kind.CONSTITUENCY, SCORE_ALIAS, row["name"], "other name",
            )  # fmt: skip
            self._add(row["search_name"], row["search_key"], ref)

    def _load_abbreviations(self, surfaces: list[str]) -> None:
        rows = Organisation.objects.filter(abbreviation__in=surfaces).values(
            "id", "slug", "name", "kind", "abbreviation"
        )
        for row in rows:
            ref = RecordRef(
                "records.Organisation", row["id"], row["slug"], row["name"], _organisation_kind(row["kind"]),
                SCORE_ABBREVIATION, row["abbreviation"], "abbreviation",
            )  # fmt: skip
            self.by_abbreviation[row["abbreviation"]].append(ref)

    def _load_other_names(self, names: set[str]) -> None:
        rows = Place.objects.exclude(other_search_name="").values("id", "slug", "name", "kind", "other_names")
        for row in rows:
            for other in row["other_names"] or []:
                search_name = normalise_name(str(other))
                if search_name in names:
                    ref = RecordRef(
                        "records.Place", row["id"], row["slug"], row["name"], _place_kind(row["kind"]),
                        SCORE_ABBREVIATION, str(other), "other name",
                    )  # fmt: skip
                    self.by_name[search_name].append(ref)


def _paired_chunks(names: list[str], keys: list[str]):
    count = max(len(names), len(keys))
    for index in range(0, count, CHUNK):
        chunk_names, chunk_keys = names[index : index + CHUNK], keys[index : index + CHUNK]
        if chunk_names or chunk_keys:
            yield chunk_names, chunk_keys


def _rescored(ref: RecordRef, score: float, how: str) -> RecordRef:
    return RecordRef(ref.model, ref.pk, ref.slug, ref.name, ref.kind, score, ref.matched, how)
