"""The limit's routes: the API's read paths, under /limit/v1/."""

from django.urls import path

from bench.limit import (
    candidacies,
    claim_links,
    disputes,
    elections,
    events,
    gazetteer,
    history,
    matches,
    merges,
    people,
    popolo,
    postings,
    reconcile,
    results,
    sources,
)
from records.models import (
    Candidacy,
    ClaimLink,
    Constituency,
    Contest,
    Election,
    Event,
    Organisation,
    Party,
    Person,
    Place,
    Posting,
    Source,
)

PREFIX = "limit/v1/"
RESOURCES = {
    "persons": (people.persons, people.person, Person.objects.all()),
    "postings": (postings.postings, postings.posting, Posting.objects.all()),
    "parties": (gazetteer.parties, gazetteer.party, Party.objects.all()),
    "organisations": (gazetteer.organisations, gazetteer.organisation, Organisation.objects.all()),
    "places": (gazetteer.places, gazetteer.place, Place.objects.all()),
    "elections": (elections.elections, elections.election, Election.objects.all()),
    "constituencies": (results.constituencies, results.constituency, Constituency.objects.all()),
    "contests": (results.contests, results.contest, Contest.objects.all()),
    "sources": (sources.sources, sources.source, Source.objects.all()),
    "events": (events.events, events.event, Event.objects.all()),
    "candidacies": (candidacies.candidacies, candidacies.candidacy, Candidacy.objects.all()),
    "claim-links": (claim_links.claim_links, claim_links.claim_link, ClaimLink.objects.all()),
}

urlpatterns = [
    path(f"{PREFIX}health/", merges.health),
    path(f"{PREFIX}person-merges/", merges.merges),
    path(f"{PREFIX}person-merges/<str:key>/", merges.merge),
    path(f"{PREFIX}possible-matches/", matches.matches),  # no history: not a curated record
    path(f"{PREFIX}possible-matches/<str:key>/", matches.match),
    path(f"{PREFIX}sources/<str:key>/claims/", sources.claims, name="limit-source-claims"),
    path(f"{PREFIX}disputes/", disputes.disputes),  # no history of its own: a dispute is a claim link
    path(f"{PREFIX}disputes/<str:key>/", disputes.dispute),
    path(f"{PREFIX}reconcile/", reconcile.manifest),
    path(f"{PREFIX}reconcile/preview/", reconcile.preview),
    path(f"{PREFIX}reconcile/suggest/entity/", reconcile.suggest_entity),
    path(f"{PREFIX}reconcile/suggest/type/", reconcile.suggest_type),
    path(f"{PREFIX}reconcile/suggest/property/", reconcile.suggest_property),
    path(f"{PREFIX}popolo/", popolo.popolo),  # one document, no detail or history
]
for name, (listing, detail, records) in RESOURCES.items():
    urlpatterns += [
        path(f"{PREFIX}{name}/", listing),
        path(f"{PREFIX}{name}/<str:key>/", detail),
        path(f"{PREFIX}{name}/<str:key>/history/", history.view_of(records)),
    ]
