"""Finding a built record's counterpart in the database, by natural keys only.

Fixture primary keys mean nothing in a database that curators, imports and
merges have changed: a source is found by its sha256; a place, organisation,
person or election by its names (main name, aliases, other names,
abbreviation), the slug breaking a tie; a claim by its person and key, or by
what it joins (a relation's subject, kind and object; an election's phase
number; an alias's owner and name; an identifier's scheme and value).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from records.models import (
    Candidacy,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Government,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    PlaceIdentifier,
    Posting,
    Source,
)
from records.text import normalise_name


class Ambiguous(Exception):
    """The record's names fit more than one record of the database."""


def entity_names(obj: models.Model, extra: list[str]) -> set[str]:
    names = [obj.name, *extra]
    if isinstance(obj, Organisation) and obj.abbreviation:
        names.append(obj.abbreviation)
    if isinstance(obj, Place):
        names += obj.other_names
    return {key for name in names if name and (key := normalise_name(str(name)))}


def _by_names(model: type[models.Model], names: set[str]) -> set[int]:
    """Ids of ``model`` records that carry one of ``names`` (normalised)."""
    if model is Election:  # few, and without a normalised column
        return {pk for pk, name in Election.objects.values_list("id", "name") if normalise_name(name) in names}
    found = set(model._base_manager.filter(search_name__in=names).values_list("id", flat=True))
    if model is Person:
        found |= set(PersonAlias.objects.filter(search_name__in=names).values_list("person_id", flat=True))
    elif model is Organisation:
        found |= set(OrganisationAlias.objects.filter(search_name__in=names).values_list("organisation_id", flat=True))
        for pk, abbreviation in Organisation.objects.exclude(abbreviation="").values_list("id", "abbreviation"):
            if normalise_name(abbreviation) in names:
                found.add(pk)
    elif model is Place:
        for pk, other_names in Place.objects.exclude(other_names=[]).values_list("id", "other_names"):
            if any(normalise_name(str(name)) in names for name in other_names):
                found.add(pk)
    return found


def find_entity(obj: models.Model, names: set[str]) -> models.Model | None:
    """The one record of the database that ``obj``'s names name; its slug
    picks among several; None when none does. Raises ``Ambiguous``."""
    model = type(obj)._meta.concrete_model
    ids = _by_names(model, names)
    if len(ids) > 1:
        same_slug = model._base_manager.filter(id__in=ids, slug=obj.slug).first()
        if same_slug is not None:
            return same_slug
        slugs = ", ".join(sorted(model._base_manager.filter(id__in=ids).values_list("slug", flat=True)))
        raise Ambiguous(f"its names match more than one {model._meta.verbose_name} ({slugs}); use one's slug as id")
    return model._base_manager.filter(id__in=ids).first() if ids else None


# Claims and other dependent records: the fields that identify them.
NATURAL_KEYS: dict[type[models.Model], tuple[str, ...]] = {
    Source: ("sha256",),
    OrganisationAlias: ("organisation_id", "search_name"),
    PersonAlias: ("person_id", "search_name"),
    PersonIdentifier: ("scheme", "value"),
    OrganisationIdentifier: ("scheme", "value"),
    PlaceIdentifier: ("scheme", "value"),
    PersonRelation: ("subject_id", "kind", "object_id"),
    ElectionPhase: ("election_id", "number"),
    PartyResult: ("election_id", "party_id", "seats_won", "seats_with_allies", "vote_share"),
    # One government per party and place: a later source's "ruling" narrows its dates.
    Government: ("party_id", "place_id"),
    Posting: ("person_id", "key"),
    Event: ("person_id", "key"),
    Candidacy: ("person_id", "key"),
    ClaimLink: ("claim_type_id", "claim_id", "kind", "target_type_id", "target_id"),
}
ENTITIES = (Place, Organisation, Person, Election)


def find_claim(obj: models.Model) -> models.Model | None:
    model = type(obj)._meta.concrete_model
    values = {}
    for name in NATURAL_KEYS[model]:
        value = getattr(obj, name)
        if name == "search_name":
            value = normalise_name(obj.name)
        values[name] = value
    condition = Q(**values)
    if model is ClaimLink and obj.kind == ClaimLink.Kind.CONTRADICTS:
        # One pair, whichever side names the other (ClaimLink.clean refuses the mirror image).
        condition |= Q(**{**values, **mirrored(values)})
    return model._base_manager.filter(condition).order_by("pk").first()


def mirrored(values: dict) -> dict:
    """A link's claim and target swapped."""
    return {
        "claim_type_id": values["target_type_id"],
        "claim_id": values["target_id"],
        "target_type_id": values["claim_type_id"],
        "target_id": values["claim_id"],
    }
