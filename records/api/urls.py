import re

from django.urls import include, path, re_path
from django.urls.resolvers import RegexPattern, URLPattern
from rest_framework.routers import DefaultRouter

from records.api.documents import DocumentIngestView
from records.api.health import HealthView
from records.api.merges import PersonMergeViewSet
from records.api.popolo import PopoloView
from records.api.reconcile import (
    PreviewView,
    ReconcileView,
    SuggestEntityView,
    SuggestPropertyView,
    SuggestTypeView,
)
from records.api.resources.candidacies import CandidacyViewSet
from records.api.resources.claim_links import ClaimLinkViewSet
from records.api.resources.constituencies import ConstituencyViewSet
from records.api.resources.contests import ContestViewSet
from records.api.resources.disputes import DisputeViewSet
from records.api.resources.elections import ElectionViewSet
from records.api.resources.events import EventViewSet
from records.api.resources.organisations import OrganisationViewSet
from records.api.resources.parties import PartyViewSet
from records.api.resources.persons import PersonViewSet
from records.api.resources.places import PlaceViewSet
from records.api.resources.possible_matches import PossibleMatchViewSet
from records.api.resources.postings import PostingViewSet
from records.api.resources.sources import SourceViewSet
from records.api.root import RecordsRootView

# A route's resource: the literal its regex begins with, and the "/" or "." (a format suffix) after it.
RESOURCE_PREFIX = re.compile(r"^\^([A-Za-z0-9_-]+(?:/|\\\.))")


def grouped(urls: list) -> list:
    """The router's routes, each resource's under patterns of its name
    ("persons/", and "persons." for format suffixes): a request is matched
    against its resource's routes only, not against every route before them
    in turn (96 regular expressions, 45 us to reach the last resource's
    list). What matches, and the names reversed, are the same."""
    groups: dict[str, list] = {}
    out: list = []
    for url in urls:
        found = RESOURCE_PREFIX.match(url.pattern.regex.pattern) if isinstance(url, URLPattern) else None
        if found is None:
            out.append(url)
            continue
        if found[1] not in groups:
            groups[found[1]] = []
            out.append(found[1])  # the group's place among the routes
        rest = RegexPattern("^" + url.pattern.regex.pattern[found.end() :], name=url.name, is_endpoint=True)
        groups[found[1]].append(URLPattern(rest, url.callback, url.default_args, url.name))
    return [re_path(f"^{item}", include(groups[item])) if isinstance(item, str) else item for item in out]


router = DefaultRouter()
router.APIRootView = RecordsRootView
router.register("persons", PersonViewSet, basename="person")
router.register("postings", PostingViewSet, basename="posting")
router.register("parties", PartyViewSet, basename="party")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("places", PlaceViewSet, basename="place")
router.register("elections", ElectionViewSet, basename="election")
router.register("constituencies", ConstituencyViewSet, basename="constituency")
router.register("contests", ContestViewSet, basename="contest")
router.register("sources", SourceViewSet, basename="source")
router.register("events", EventViewSet, basename="event")
router.register("candidacies", CandidacyViewSet, basename="candidacy")
router.register("disputes", DisputeViewSet, basename="dispute")
router.register("claim-links", ClaimLinkViewSet, basename="claimlink")
router.register("person-merges", PersonMergeViewSet, basename="person-merge")
router.register("possible-matches", PossibleMatchViewSet, basename="possible-match")

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("documents/", DocumentIngestView.as_view(), name="documents"),
    path("reconcile/", ReconcileView.as_view(), name="reconcile"),
    path("reconcile/preview/", PreviewView.as_view(), name="reconcile-preview"),
    path("reconcile/suggest/entity/", SuggestEntityView.as_view(), name="reconcile-suggest-entity"),
    path("reconcile/suggest/type/", SuggestTypeView.as_view(), name="reconcile-suggest-type"),
    path("reconcile/suggest/property/", SuggestPropertyView.as_view(), name="reconcile-suggest-property"),
    path("popolo/", PopoloView.as_view(), name="popolo"),
    *grouped(router.urls),
]
