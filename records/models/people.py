"""People, their other names, identifiers and relations to each other."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from records import identifiers
from records.fields import JoinedKeyField, SearchNameField, SoundKeyField, SpellingKeyField, fuzzy_date_fields
from records.models.base import CitedRecord, Claim, fuzzy_bounds_constraints
from records.models.gazetteer import Place
from records.models.identifiers import ExternalIdentifier


class Person(CitedRecord):
    """A political figure, or anyone the records of one need (a parent, a rival)."""

    class Gender(models.TextChoices):
        FEMALE = "female", "female"
        MALE = "male", "male"
        OTHER = "other", "other"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300, help_text="The name sources use most.")
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()
    birth_date, birth_date_earliest, birth_date_latest = fuzzy_date_fields("birth_date")
    native_place = models.ForeignKey(Place, on_delete=models.PROTECT, null=True, blank=True, related_name="natives")
    gender = models.CharField(
        max_length=16, choices=Gender.choices, blank=True, help_text="Only where a source states it."
    )
    social_group = models.CharField(
        max_length=100, blank=True, help_text="Caste or community, only where a source states it."
    )
    imported_from = models.ForeignKey(
        "records.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_people",
        help_text="The dataset this person was created from, when no existing person matched.",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = fuzzy_bounds_constraints("person", "birth_date")
        # The list's orders (name, birth_date, updated), each tie-broken by id:
        # keyset pages read them in index order, however deep.
        indexes = [
            models.Index(fields=["name", "id"], name="person_name_id_idx"),
            models.Index(fields=["birth_date_earliest", "id"], name="person_birth_id_idx"),
            models.Index(fields=["updated_at", "id"], name="person_updated_id_idx"),
            # A review state in the default order: a page from the index, not a sort of every
            # person in that state (persons?review_status=draft: 97 ms at 100k people).
            models.Index(fields=["review_status", "name", "id"], name="person_review_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonAlias(Claim):
    """Another name of a person: full name, spelling variant, honorific..."""

    class Kind(models.TextChoices):
        FULL_NAME = "full_name", "full name"
        SHORT_NAME = "short_name", "short name"
        SPELLING_VARIANT = "spelling_variant", "spelling variant"
        MISSPELLING = "misspelling", "misspelling"
        HONORIFIC = "honorific", "honorific or title"
        FORMER_NAME = "former_name", "former name"
        OTHER = "other", "other"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()

    class Meta:
        ordering = ["person_id", "name"]
        verbose_name_plural = "person aliases"
        # One alias per spelling, whatever its case, accents or punctuation.
        constraints = [models.UniqueConstraint(fields=["person", "search_name"], name="person_alias_unique")]

    def __str__(self) -> str:
        return self.name


class PersonIdentifier(ExternalIdentifier):
    """An identifier of a person in another database (Wikidata, MyNeta...)."""

    identifies = identifiers.PERSON

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")

    class Meta:
        ordering = ["person_id", "scheme", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="person_identifier_unique"),
        ]


class PersonRelation(Claim):
    """``subject`` is the ``kind`` of ``object``: "Arun Ram is the parent of Asim Arun"."""

    class Kind(models.TextChoices):
        PARENT = "parent", "parent of"
        SPOUSE = "spouse", "spouse of"
        SIBLING = "sibling", "sibling of"
        OTHER_RELATIVE = "relative", "relative of"

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_as_subject")
    object = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relations_as_object")
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)

    class Meta:
        ordering = ["subject_id", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "object", "kind"], name="person_relation_unique"),
            models.CheckConstraint(
                condition=~Q(subject=F("object")),
                name="person_relation_not_self",
                violation_error_message="A person cannot be related to themselves.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} is {self.get_kind_display()} {self.object}"
