"""The workbench's "Claim from the selection" form: the selected words
(their offsets, filled in by records/workbench.js or typed), the kind of
claim and its fields; records are named by their slugs, those the
document's suggestions found offered in lists. The claim is made by
records.curation.claims.claim_from_selection, as a draft."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from records.curation.claims import CLAIM_MODELS, DATE_FIELDS
from records.models import ClaimStatus, Election, Event, Organisation, Person, Place

# Each reference the form takes: its model, and the claim kinds it belongs to.
REFERENCES = {
    "person": (Person, ("posting", "event", "candidacy")),
    "organisation": (Organisation, ("posting", "event")),
    "party": (Organisation, ("candidacy",)),
    "place": (Place, ("posting", "candidacy")),
    "election": (Election, ("candidacy",)),
}
# The fields each kind requires besides the person, key and status.
REQUIRED = {"posting": ("role",), "event": ("event_kind", "title"), "candidacy": ("election",)}


def slug_input(list_id: str = "") -> forms.TextInput:
    return forms.TextInput(attrs={"list": list_id, "autocomplete": "off"} if list_id else {})


class ClaimForm(forms.Form):
    start = forms.IntegerField(min_value=0, help_text="Offsets of the selected words (select them in the text).")
    end = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(label="claim", choices=[(kind, kind) for kind in CLAIM_MODELS])
    person = forms.SlugField(widget=slug_input("wb-people"), help_text="The person's slug.")
    key = forms.SlugField(max_length=120, help_text="Unique among the person's claims, e.g. bjp-member.")
    status = forms.ChoiceField(choices=ClaimStatus.choices, help_text="How certain the words are.")
    role = forms.CharField(required=False, max_length=300, help_text="Posting: e.g. Commissioner of Police, member.")
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

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        for name in REQUIRED[kind]:
            if not data.get(name):
                self.add_error(name, f"A {kind} needs this.")
        references = {}
        for name, (model, kinds) in REFERENCES.items():
            slug = data.get(name)
            if not slug or kind not in kinds:
                continue
            found = model._base_manager.filter(slug=slug).first()
            if found is None:
                self.add_error(name, f"No {model._meta.verbose_name} {slug!r}.")
            elif name == "party" and found.kind != Organisation.Kind.PARTY:
                self.add_error(name, f"{slug!r} is not a party.")
            else:
                references[name] = found
        data["references"] = references
        return data

    def claim_values(self) -> tuple[dict, dict[str, str]]:
        """The claim's fields and its dates as written, for claim_from_selection."""
        data, kind = self.cleaned_data, self.cleaned_data["kind"]
        values = {"key": data["key"], "status": data["status"], **data["references"]}
        if kind == "posting":
            values |= {"role": data["role"], "rank": data["rank"]}
        elif kind == "event":
            values |= {"kind": data["event_kind"], "title": data["title"]}
        raw = {"start": data["start_date"], "end": data["end_date"], "date": data["date"]}
        return values, {name: raw[name] for name in DATE_FIELDS[kind]}

    def add_errors(self, exc: ValidationError) -> None:
        """The service's messages, on this form's fields where they have one."""
        renamed = {"start": "start_date", "end": "end_date", "kind": "event_kind", "selection": None}
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
