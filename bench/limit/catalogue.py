"""Each list's filters and orders, by the API's resource name: what the views
use, and what the benchmark reads to find a deep page's position."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.limit import (
    candidacies,
    claim_links,
    disputes,
    elections,
    events,
    gazetteer,
    matches,
    people,
    postings,
    results,
    sources,
)


@dataclass(frozen=True)
class Listing:
    filtered: Callable  # (query parameters) -> queryset
    keys: Callable  # (query parameters) -> [paging.Key]


LISTINGS = {
    "persons": Listing(people.filtered, people.keys),
    "postings": Listing(postings.filtered, postings.keys),
    "parties": Listing(gazetteer.parties_filtered, gazetteer.organisation_keys),
    "organisations": Listing(gazetteer.organisations_filtered, gazetteer.organisation_keys),
    "places": Listing(gazetteer.places_filtered, gazetteer.place_keys),
    "elections": Listing(elections.filtered, elections.keys),
    "constituencies": Listing(results.constituencies_filtered, results.constituency_keys),
    "contests": Listing(results.contests_filtered, results.contest_keys),
    "sources": Listing(sources.filtered, sources.keys),
    "events": Listing(events.filtered, events.keys),
    "candidacies": Listing(candidacies.filtered, candidacies.keys),
    "claim-links": Listing(claim_links.filtered, claim_links.keys),
    "disputes": Listing(disputes.filtered, disputes.keys),
    "possible-matches": Listing(matches.filtered, matches.keys),
}
