"""The workbench's forms. "Claim from the selection": the selected words
(their offsets, filled in by records/workbench.js or typed), the kind of
claim and its fields, and how it stands to an earlier claim (optional);
records are named by their slugs, those the document's suggestions found
offered in lists. "Link the selection": two claims that exist, and how the
later stands to the earlier. Both are made by records.curation.claims, as
drafts drafted by the curator."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q

from records.curation.claims import DATE_FIELDS
from records.curation.review import is_pending, pending
from records.models import (
    Candidacy,
    ClaimLink,
    ClaimStatus,
    Election,
    Event,
    Organisation,
    PartyResult,
    Person,
    PersonAlias,
    PersonRelation,
    Place,
    Posting,
)
from records.models.links import LINKABLE

KIND_LABELS = {
    "posting": "posting",
    "membership": "party membership",
    "event": "event",
    "candidacy": "candidacy",
    "relation": "relation between people",
    "alias": "alias (another name)",
    "party_result": "party result",
}
# Each reference the form takes: its model, and the claim kinds it belongs to.
REFERENCES = {
    "person": (Person, ("posting", "membership", "event", "candidacy", "relation", "alias")),
    "other": (Person, ("relation",)),
    "organisation": (Organisation, ("posting", "event")),
    "party": (Organisation, ("candidacy", "membership", "party_result")),
    "place": (Place, ("posting", "candidacy")),
    "election": (Election, ("candidacy", "party_result")),
}
# The fields each kind requires besides the status.
REQUIRED = {
    "posting": ("person", "key", "role"),
    "membership": ("person", "key", "party"),
    "event": ("person", "key", "event_kind", "title"),
    "candidacy": ("person", "key", "election"),
    "relation": ("person", "other", "relation_kind"),
    "alias": ("person", "alias_kind"),
    "party_result": ("election", "party"),
}
LINK_KINDS = [("", "-"), *ClaimLink.Kind.choices]


def slug_input(list_id: str = "") -> forms.TextInput:
    return forms.TextInput(attrs={"list": list_id, "autocomplete": "off"} if list_id else {})


class ClaimForm(forms.Form):
    start = forms.IntegerField(min_value=0, help_text="Offsets of the selected words (select them in the text).")
    end = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(label="claim", choices=list(KIND_LABELS.items()))
    person = forms.SlugField(required=False, widget=slug_input("wb-people"), help_text="The person's slug.")
    key = forms.SlugField(
        required=False, max_length=120, help_text="Unique among the person's claims, e.g. bjp-member."
    )
    status = forms.ChoiceField(choices=ClaimStatus.choices, help_text="How certain the words are.")
    role = forms.CharField(
        required=False, max_length=300, help_text="Posting: e.g. Commissioner of Police; a membership: member."
    )
    rank = forms.CharField(required=False, max_length=100, help_text="Posting: e.g. ADG.")
    event_kind = forms.ChoiceField(required=False, label="event kind", choices=[("", "-"), *Event.Kind.choices])
    title = forms.CharField(required=False, max_length=300, help_text="Event: what happened, in a line.")
    organisation = forms.SlugField(required=False, widget=slug_input("wb-organisations"))
    party = forms.SlugField(required=False, widget=slug_input("wb-parties"), help_text="Candidacy.")
    place = forms.SlugField(required=False, widget=slug_input("wb-places"))
    election = forms.SlugField(required=False, help_text="Candidacy: the election's slug, e.g. up-2022.")
    start_date = forms.CharField(required=False, label="start", help_text="Posting: 2021-03, on Sunday, ../2022-01-10")
    end_date = forms.CharField(required=False, label="end", help_text="Posting.")
    date = forms.CharField(required=False, help_text="Event.")
    other = forms.SlugField(
        required=False, widget=slug_input("wb-people"), label="of", help_text="Relation: the other person's slug."
    )
    relation_kind = forms.ChoiceField(
        required=False, label="relation", choices=[("", "-"), *PersonRelation.Kind.choices], help_text="Relation."
    )
    alias_name = forms.CharField(
        required=False, max_length=300, label="name", help_text="Alias: the name (default: the selected words)."
    )
    alias_kind = forms.ChoiceField(
        required=False, label="alias kind", choices=[("", "-"), *PersonAlias.Kind.choices], help_text="Alias."
    )
    seats_won = forms.IntegerField(required=False, min_value=0, help_text="Party result.")
    seats_with_allies = forms.IntegerField(required=False, min_value=0, help_text="Party result.")
    vote_share = forms.DecimalField(
        required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2, help_text="Party result: per cent."
    )
    link_kind = forms.ChoiceField(
        required=False, label="and it", choices=LINK_KINDS, help_text="How the claim stands to an earlier one."
    )
    link_target = forms.CharField(
        required=False,
        label="the earlier claim",
        widget=forms.Select(),
        help_text="A claim of the records the document names.",
    )

    def __init__(self, *args, targets: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link_target"].widget.choices = [("", "-"), *(targets or [])]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        for name in REQUIRED[kind]:
            if not data.get(name):
                label = KIND_LABELS[kind]
                self.add_error(name, f"{'An' if label[0] in 'aeiou' else 'A'} {label} needs this.")
        if bool(data.get("link_kind")) != bool(data.get("link_target")):
            self.add_error("link_target" if data.get("link_kind") else "link_kind", "A link needs both.")
        elif data.get("link_target"):
            try:
                data["link"] = (data["link_kind"], claim_by_reference(data["link_target"]))
            except forms.ValidationError as exc:
                self.add_error("link_target", exc)
        references = {}
        for name, (model, kinds) in REFERENCES.items():
            slug = data.get(name)
            if not slug or kind not in kinds:
                continue
            found = model._base_manager.filter(slug=slug).first()
            if found is None:
                self.add_error(name, f"No {model._meta.verbose_name} {slug!r}.")
            elif name in ("party",) and found.kind != Organisation.Kind.PARTY:
                self.add_error(name, f"{slug!r} is not a party.")
            else:
                references[name] = found
        data["references"] = references
        return data

    def claim_values(self, selected: str) -> tuple[dict, dict[str, str]]:
        """The claim's fields and its dates as written, for claim_from_selection."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        refs = data["references"]
        values = {"status": data["status"]}
        if kind in ("posting", "membership", "event", "candidacy"):
            values |= {"key": data["key"], **refs}
        if kind == "posting":
            values |= {"role": data["role"], "rank": data["rank"]}
        elif kind == "membership":
            values |= {"role": data["role"] or "member", "rank": data["rank"], "organisation": refs["party"]}
            values.pop("party")
        elif kind == "event":
            values |= {"kind": data["event_kind"], "title": data["title"]}
        elif kind == "relation":
            values = {"status": data["status"], "subject": refs["person"], "object": refs["other"]}
            values["kind"] = data["relation_kind"]
        elif kind == "alias":
            name = data["alias_name"] or " ".join(selected.split())
            values |= {"person": refs["person"], "name": name, "kind": data["alias_kind"]}
        elif kind == "party_result":
            values |= {"election": refs["election"], "party": refs["party"]}
            values |= {name: data[name] for name in ("seats_won", "seats_with_allies", "vote_share")}
        raw = {"start": data["start_date"], "end": data["end_date"], "date": data["date"]}
        return values, {name: raw[name] for name in DATE_FIELDS.get(kind, ())}

    def add_errors(self, exc: ValidationError) -> None:
        """The service's messages, on this form's fields where they have one."""
        kind = self.cleaned_data.get("kind")
        renamed = {
            "start": "start_date",
            "end": "end_date",
            "kind": {"relation": "relation_kind", "alias": "alias_kind"}.get(kind, "event_kind"),
            "name": "alias_name",
            "subject": "person",
            "object": "other",
            "organisation": "party" if kind == "membership" else "organisation",
            "selection": None,
        }
        for name, messages in exc.message_dict.items():
            field = renamed.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


def reference_choices(items: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """The records the suggestions found, by list (people, organisations, parties, places), for the form's inputs."""
    lists: dict[str, dict[str, str]] = {"people": {}, "organisations": {}, "parties": {}, "places": {}}
    target = {"person": "people", "organisation": "organisations", "party": "parties", "place": "places"}
    for item in items:
        for record in [item["record"], *item["candidates"]]:
            if record and record["kind"] in target:
                lists[target[record["kind"]]].setdefault(record["slug"], record["name"])
                if record["kind"] == "party":
                    lists["organisations"].setdefault(record["slug"], record["name"])
    return {name: sorted(found.items(), key=lambda pair: pair[1]) for name, found in lists.items()}


# What the workbench drafts: claims, the links between them, aliases, new people and organisations.
DRAFTED = (*LINKABLE, "claimlink", "personalias", "person", "organisation")


def claim_by_reference(reference: str, allowed=LINKABLE):
    """The claim (of a type in ``allowed``) a form names as "type:id" (e.g.
    "posting:24"); a ``ValidationError`` when there is none."""
    model_name, _, pk = reference.partition(":")
    if model_name not in allowed or not pk.isdigit():
        raise forms.ValidationError("Pick a claim from the list.")
    model = ContentType.objects.get_by_natural_key("records", model_name).model_class()
    found = model._base_manager.filter(pk=int(pk)).first()
    if found is None:
        raise forms.ValidationError(f"No {model._meta.verbose_name} {pk}.")
    return found


class LinkForm(forms.Form):
    """Link the selected words' claim to an earlier one, both existing."""

    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    claim = forms.CharField(widget=forms.Select(), label="the claim", help_text="The later claim.")
    kind = forms.ChoiceField(choices=ClaimLink.Kind.choices, label="")
    target = forms.CharField(widget=forms.Select(), label="the claim", help_text="The earlier claim.")

    def __init__(self, *args, targets: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("claim", "target"):
            self.fields[name].widget.choices = [("", "-"), *(targets or [])]

    def clean_claim(self):
        return claim_by_reference(self.cleaned_data["claim"])

    def clean_target(self):
        return claim_by_reference(self.cleaned_data["target"])


# The claims of a person a link may name, by how they point at the person,
# with the records their labels name (one query each kind).
PERSON_CLAIMS = {
    Posting: ("person", ("person", "organisation", "place")),
    Candidacy: ("person", ("person", "election", "party", "place")),
    Event: ("person", ("person", "organisation")),
    PersonRelation: ("subject", ("subject", "object")),
    PartyResult: (None, ("election", "party")),
}


def document_claims(source, items: list[dict]) -> tuple[list[tuple[str, str]], list]:
    """What the workbench lists of claims, in a fixed number of queries: the
    claims a link on this document may name, as ("type:id", label) (those of
    the people its suggestions found, and those cited to it), and the records
    cited to it that wait for a second curator (claims, links and aliases)."""
    people = {
        record["pk"]
        for item in items
        for record in [item["record"], *item["candidates"]]
        if record and record["kind"] == "person"
    }
    cited = defaultdict(set)
    for model_name, pk in source.citations.filter(content_type__model__in=DRAFTED).values_list(
        "content_type__model", "object_id"
    ):
        cited[model_name].add(pk)
    choices, waiting = [], []
    for model, (field, labels) in PERSON_CLAIMS.items():
        mine = cited[model._meta.model_name]
        condition = Q(pk__in=mine)
        if field is not None:
            condition |= Q(**{f"{field}_id__in": people})
        for claim in model._base_manager.filter(condition).select_related("drafted_by", *labels):
            choices.append((f"{model._meta.model_name}:{claim.pk}", claim_label(claim)))
            if claim.pk in mine and is_pending(claim):
                waiting.append(claim)
    also = ((ClaimLink, ("claim_type", "target_type")), (PersonAlias, ("person",)), (Person, ()), (Organisation, ()))
    for model, labels in also:
        mine = cited[model._meta.model_name]
        if mine:
            waiting += model._base_manager.filter(pending(), pk__in=mine).select_related("drafted_by", *labels)
    return sorted(choices, key=lambda choice: choice[1]), waiting


def claim_label(claim) -> str:
    """How the lists name a claim: whose, what, its key, how certain, and whether it waits for a second curator."""
    waiting = ", pending" if is_pending(claim) else ""
    if not hasattr(claim, "status"):  # a person or an organisation
        return f"{claim._meta.verbose_name} {claim} ({claim.slug}{waiting})"
    whose = getattr(claim, "person", None) or getattr(claim, "subject", None) or getattr(claim, "election", "")
    key = f" {claim.key}" if getattr(claim, "key", "") else ""
    return f"{whose} · {claim._meta.verbose_name}{key}: {claim} ({claim.status}{waiting})"
