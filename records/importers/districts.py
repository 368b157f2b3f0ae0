"""The district a results file names, among the districts the records know.

A file's district is the district of the election's jurisdiction that has
(in this order, the first that finds any):
1. that name or other name, compared case-, accent- and
   punctuation-insensitively;
2. a name or other name that is another spelling of it: spaces, romanisation
   and a hyphenated name's first part (records.text.same_place_name), or the
   same consonants ("BUDAUN" / "Badaun": records.text.sound_key);
3. a name or other name that the list of former names
   (data/district-names/, records/importers/district_names.py) pairs with it
   ("MAHAMAYA NAGAR" -> Hathras), in any of those spellings;
else the only district of that name that a source left outside any place
(never a district of another state: Bihar and Maharashtra both have an
Aurangabad).
Two districts found at the same step are never guessed between: the importer
refuses the file, naming both. Found at step 2 or 3, the file's spelling
becomes one of the district's other names, citing the row.
"""

from __future__ import annotations

from collections.abc import Iterable

from records.importers.district_names import load_former_names
from records.models import Place
from records.text import SOUND_MIN, normalise_name, same_place_name, sound_key


class AmbiguousDistrict(ValueError):
    def __init__(self, given: str, places: list[Place], how: str):
        shown = " and ".join(f"{p.name!r} ({p.slug})" for p in places)
        super().__init__(f"district {given!r} could be {shown}, {how}; write the district as the records name it")


def same_district_name(known: str, given: str) -> bool:
    """Whether two names can name one district: another spelling (same_place_name) or the same consonants."""
    if same_place_name(known, given):
        return True
    known_sound, given_sound = (sound_key(name).replace(" ", "") for name in (known, given))
    return len(known_sound) >= SOUND_MIN and known_sound == given_sound


class Districts:
    """The districts of one jurisdiction, loaded once per import (a state has tens of them)."""

    def __init__(self, jurisdiction: Place):
        self.jurisdiction = jurisdiction
        districts = Place.objects.subtree(jurisdiction).filter(kind=Place.Kind.DISTRICT).order_by("pk")
        self.places: list[Place] = list(districts)
        # (former name, name) pairs of the jurisdiction, by its name or another ("UP")
        self.renamings = sorted({pair for state in _names(jurisdiction) for pair in load_former_names(state)})

    def add(self, place: Place) -> None:
        self.places.append(place)

    def find(self, given: str) -> tuple[Place | None, bool]:
        """(the district, whether it was found under another spelling or name) or (None, False).
        Raises AmbiguousDistrict when one step finds two."""
        key = normalise_name(given)
        named = [p for p in self.places if key in {normalise_name(n) for n in _names(p)}]
        if named:
            return self._one(given, named, "by name"), False
        spelled = [p for p in self.places if any(same_district_name(n, given) for n in _names(p))]
        if spelled:
            return self._one(given, spelled, "by spelling"), True
        others = {other for former, name in self.renamings for other in _paired(given, former, name)}
        renamed = [p for p in self.places if any(same_district_name(n, o) for n in _names(p) for o in others)]
        if renamed:
            return self._one(given, renamed, "by the list of former names"), True
        unnested = Place.objects.filter(kind=Place.Kind.DISTRICT, parent__isnull=True, search_name=key)
        unnested = list(unnested.order_by("pk")[:2])
        return (unnested[0] if len(unnested) == 1 else None), False

    @staticmethod
    def _one(given: str, places: list[Place], how: str) -> Place:
        if len(places) > 1:
            raise AmbiguousDistrict(given, places, how)
        return places[0]


def _names(place: Place) -> list[str]:
    return [place.name, *place.other_names]


def _paired(given: str, former: str, name: str) -> Iterable[str]:
    """The other name of a renaming that ``given`` is one name of."""
    if same_district_name(former, given):
        yield name
    if same_district_name(name, given):
        yield former
