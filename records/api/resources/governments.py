"""Governments: which party governs a place, as sources tell it. Read inside
the party (``governs``) and the place (``governed_by``) they join."""

from __future__ import annotations

from records.api.claim_parts import Citations
from records.api.readspec import Field, Fuzzy, Ref, Spec
from records.api.refs import PARTY_REF, PLACE_REF
from records.models import Government

GOVERNMENT = Spec(
    Government,
    "Government",
    [
        Field("id"),
        Ref("party", PARTY_REF),
        Ref("place", PLACE_REF),
        Fuzzy("start"),
        Fuzzy("end"),
        Field("status"),
        Citations(),
    ],
    doc='A party governing a place for a period ("the ruling BJP" of a State on the source\'s date).',
)
GOVERNS = GOVERNMENT.only("PartyGovernment", ["id", "place", "start", "end", "status", "citations"])
GOVERNED_BY = GOVERNMENT.only("PlaceGovernment", ["id", "party", "start", "end", "status", "citations"])
