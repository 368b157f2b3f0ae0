"""Links between claims: how a later claim stands to an earlier one.

A story moves: an officer "likely to join" a party joins it a week later. The
later claim does not overwrite the earlier one; it links to it, cited to the
words that say so, and the earlier claim is then read as superseded from the
day the linking source was published (records/knowledge.py).
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from records.models.base import CitedRecord

# The claims a link may join (content type model names).
LINKABLE = ("posting", "event", "candidacy", "partyresult", "personrelation")


class ClaimLink(CitedRecord):
    """``claim`` (the later one) ``kind`` ``target`` (the earlier one)."""

    class Kind(models.TextChoices):
        CONFIRMS = "confirms", "confirms"  # another source says the same; the target stands
        SUPERSEDES = "supersedes", "supersedes"  # a newer state of the same fact; the target is past
        FULFILS = "fulfils", "fulfils"  # an expected or speculated claim came true
        CONTRADICTS = "contradicts", "contradicts"  # the two cannot both be true; neither is preferred
        RETRACTS = "retracts", "retracts"  # the target is withdrawn; nothing replaces it

    # Kinds after which the target no longer describes the present.
    ENDING = (Kind.SUPERSEDES, Kind.FULFILS, Kind.RETRACTS)

    claim_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", limit_choices_to={"model__in": LINKABLE}
    )
    claim_id = models.PositiveBigIntegerField()
    claim = GenericForeignKey("claim_type", "claim_id")
    kind = models.CharField(max_length=16, choices=Kind.choices, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", limit_choices_to={"model__in": LINKABLE}
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["claim_type", "claim_id"], name="claimlink_claim_idx"),
            models.Index(fields=["target_type", "target_id"], name="claimlink_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim_type", "claim_id", "kind", "target_type", "target_id"], name="claimlink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(claim_type=F("target_type"), claim_id=F("target_id")),
                name="claimlink_not_to_itself",
                violation_error_message="A claim cannot be linked to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_type.model} {self.claim_id} {self.kind} {self.target_type.model} {self.target_id}"

    def clean(self) -> None:
        super().clean()
        for name in ("claim", "target"):
            content_type = getattr(self, f"{name}_type", None) if getattr(self, f"{name}_type_id") else None
            if content_type is None:
                continue
            if content_type.model not in LINKABLE:
                raise ValidationError({f"{name}_type": f"Not a claim that can be linked: {content_type.model}."})
            model = content_type.model_class()
            if not model._default_manager.filter(pk=getattr(self, f"{name}_id")).exists():
                raise ValidationError({f"{name}_id": f"No {content_type.model} with id {getattr(self, f'{name}_id')}."})
        if (self.claim_type_id, self.claim_id) == (self.target_type_id, self.target_id):
            raise ValidationError("A claim cannot be linked to itself.")
        if self.kind == self.Kind.CONTRADICTS:
            mirror = mirror_contradiction(self)
            if mirror is not None:
                raise ValidationError(
                    f"These two claims are already recorded as contradicting each other (claim link {mirror}): "
                    "a contradiction is one pair, whichever side comes first; add citations to that link instead."
                )
        if self.kind in self.ENDING:
            loop = ending_loop(self)
            if loop:
                raise ValidationError({"kind": f"This link would close a loop of {'/'.join(self.ENDING)}: {loop}."})


def mirror_contradiction(link: ClaimLink) -> int | None:
    """The id of the ``contradicts`` link joining the same two claims the other
    way round, if any: a pair is recorded once (the disputes list shows each once)."""
    mirror = ClaimLink.objects.filter(
        kind=ClaimLink.Kind.CONTRADICTS,
        claim_type_id=link.target_type_id,
        claim_id=link.target_id,
        target_type_id=link.claim_type_id,
        target_id=link.claim_id,
    )
    if link.pk:
        mirror = mirror.exclude(pk=link.pk)
    return mirror.values_list("pk", flat=True).first()


def ending_loop(link: ClaimLink) -> str:
    """The loop that ``link`` would close among superseding links (a supersedes
    b supersedes a), described; empty when there is none."""
    start = (link.claim_type_id, link.claim_id)
    frontier, seen = [(link.target_type_id, link.target_id)], set()
    while frontier:
        node = frontier.pop()
        if node == start:
            return f"{ContentType.objects.get_for_id(start[0]).model} {start[1]} would come after itself"
        if node in seen:
            continue
        seen.add(node)
        rows = ClaimLink.objects.filter(claim_type_id=node[0], claim_id=node[1], kind__in=ClaimLink.ENDING)
        if link.pk:
            rows = rows.exclude(pk=link.pk)
        for target in rows.values_list("target_type_id", "target_id"):
            frontier.append(target)
    return ""
