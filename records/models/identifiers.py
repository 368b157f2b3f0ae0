"""Identifiers of records in other databases: a person's MyNeta page, a
party's Wikidata item, a state's ISO 3166-2 code, a constituency's number
in a delimitation.

One table per kind of record (PersonIdentifier lives with people), each with
a foreign key to its record, rather than one generic table keyed by content
type: the filter ``identifier=scheme:value`` is then a plain join on an exact
unique index (scheme, value) per kind, a detail's identifiers one indexed
lookup by foreign key, deleting a record takes its identifiers with it, and
the same value may identify, say, a place and a constituency without
clashing. The scheme registry (records/identifiers.py) says which schemes
each kind takes and what their values look like."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from records import identifiers
from records.models.base import CitedRecord
from records.models.gazetteer import Organisation, Place
from records.models.results import Constituency


class ExternalIdentifier(CitedRecord):
    """scheme + value, cited; ``identifies`` names the kind of record the concrete model identifies."""

    identifies: str = ""  # the kind of record, as records/identifiers.py names it

    scheme = models.SlugField(max_length=50, help_text='e.g. "wikidata"; records/identifiers.py lists them.')
    value = models.CharField(max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.scheme}:{self.value}"

    def clean(self) -> None:
        super().clean()
        problem = identifiers.identifier_problem(self.identifies, self.scheme or "", self.value or "")
        if problem is not None:
            field, message = problem
            raise ValidationError({field: message})


class OrganisationIdentifier(ExternalIdentifier):
    """An organisation's (a party's) identifier in another database."""

    identifies = identifiers.ORGANISATION

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")

    class Meta:
        ordering = ["organisation_id", "scheme", "value"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="organisation_identifier_unique")]


class PlaceIdentifier(ExternalIdentifier):
    """A place's identifier in another database (ISO 3166-2, LGD codes...)."""

    identifies = identifiers.PLACE

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="identifiers")

    class Meta:
        ordering = ["place_id", "scheme", "value"]
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="place_identifier_unique")]


class ConstituencyIdentifier(ExternalIdentifier):
    """A constituency's identifier: its number in a delimitation ("eci-ac:2008:UP:14"), so
    that a later delimitation's numbers can sit beside the earlier ones."""

    identifies = identifiers.CONSTITUENCY

    constituency = models.ForeignKey(Constituency, on_delete=models.CASCADE, related_name="identifiers")

    class Meta:
        ordering = ["constituency_id", "scheme", "value"]
        verbose_name_plural = "constituency identifiers"
        constraints = [models.UniqueConstraint(fields=["scheme", "value"], name="constituency_identifier_unique")]
