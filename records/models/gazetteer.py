"""Places and organisations: normalised, nested, so that "everything in Kanpur"
or "every posting in the Uttar Pradesh Police" is one indexed filter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q

from records.fields import JoinedKeyField, NameListSearchField, SearchNameField, SoundKeyField, SpellingKeyField
from records.models.base import CitedRecord, Claim
from records.text import normalise_name


def tree_path(parent_path: str | None, slug: str) -> str:
    """Materialised path of a node: its ancestors' slugs and its own, '/'-joined."""
    return f"{parent_path}/{slug}" if parent_path else slug


class TreeQuerySet(models.QuerySet):
    def subtree(self, node) -> TreeQuerySet:
        """The node and everything under it (one indexed prefix match)."""
        return self.filter(Q(path=node.path) | Q(path__startswith=f"{node.path}/"))


class TreeNode(CitedRecord):
    """A named node with a parent; ``path`` makes subtree filters one query."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()
    path = models.CharField(max_length=1000, editable=False, db_index=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        self.path = tree_path(self.parent.path if self.parent_id else None, self.slug)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # The concrete model's manager: a Party's children need not be parties.
                for child in self._meta.concrete_model.objects.filter(parent=self):
                    child.save()

    def clean(self) -> None:
        super().clean()
        seen = set()
        ancestor = self.parent if self.parent_id else None
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "A node cannot be inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent if ancestor.parent_id else None


class Place(TreeNode):
    """A country, state, district, city or constituency."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "country"
        STATE = "state", "state"
        REGION = "region", "region"
        DISTRICT = "district", "district"
        CITY = "city", "city"
        CONSTITUENCY = "constituency", "constituency"

    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    other_names = models.JSONField(default=list, blank=True, help_text='Other names, e.g. ["UP"].')
    # The other names in the three search forms, so that a search finds them as it finds the name.
    other_search_name = NameListSearchField(form="name")
    other_search_key = NameListSearchField(form="spelling")
    other_search_sound = NameListSearchField(form="sound")
    other_search_joined = NameListSearchField(form="joined")

    class Meta:
        ordering = ["path"]

    def clean(self) -> None:
        super().clean()
        self._check_other_names()

    def _check_other_names(self) -> None:
        """An other name may not be the name (or an other name) of another place of
        the same kind in the same parent: a district's old name is not its
        neighbour's name. Places of one name elsewhere (two states' districts) are fine."""
        if not isinstance(self.other_names, list) or not self.other_names or not self.kind:
            return
        mine = {normalise_name(str(name)): name for name in self.other_names}
        siblings = Place.objects.filter(kind=self.kind, parent_id=self.parent_id).exclude(pk=self.pk)
        problems = []
        for name, slug, other_names in siblings.order_by("path").values_list("name", "slug", "other_names"):
            for taken in [name, *(other_names or [])]:
                given = mine.get(normalise_name(str(taken)))
                if given is not None:
                    problems.append(
                        f"{given!r} already names the {self.kind} {name!r} ({slug}); it cannot also be an other "
                        f"name of {self.name!r}."
                    )
        if problems:
            raise ValidationError({"other_names": problems})


class Organisation(TreeNode):
    """A police force or unit, a service, a legislature, a government, a party..."""

    class Kind(models.TextChoices):
        PARTY = "party", "political party"
        POLICE = "police", "police force or unit"
        SERVICE = "service", "civil service"
        SECURITY = "security", "security or protection agency"
        LEGISLATURE = "legislature", "legislature"
        GOVERNMENT = "government", "government"
        OTHER = "other", "other"

    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    abbreviation = models.CharField(max_length=32, blank=True, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="Jurisdiction or seat, where known.",
    )

    class Meta:
        ordering = ["path"]


class PartyManager(models.Manager.from_queryset(TreeQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Organisation.Kind.PARTY)


class Party(Organisation):
    """Political parties: organisations of kind "party" (one table, one alias list).

    Party membership and party offices are postings whose organisation is a party.
    """

    objects = PartyManager()

    class Meta:
        proxy = True
        verbose_name_plural = "parties"

    def save(self, *args, **kwargs):
        self.kind = Organisation.Kind.PARTY
        super().save(*args, **kwargs)


class OrganisationAlias(Claim):
    """Another name of an organisation, including misspellings sources use."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", "abbreviation"
        SHORT_NAME = "short_name", "short name"
        SPELLING_VARIANT = "spelling_variant", "spelling variant"
        MISSPELLING = "misspelling", "misspelling"
        FORMER_NAME = "former_name", "former name"
        OTHER = "other", "other"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    search_name = SearchNameField()
    search_key = SpellingKeyField()
    search_sound = SoundKeyField()
    search_joined = JoinedKeyField()

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name_plural = "organisation aliases"
        constraints = [
            # One alias per spelling, whatever its case, accents or punctuation.
            models.UniqueConstraint(fields=["organisation", "search_name"], name="organisation_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.name
