from django.urls import path
from rest_framework.routers import DefaultRouter

from records.api import views
from records.api.health import HealthView
from records.api.merges import PersonMergeViewSet

router = DefaultRouter()
router.register("persons", views.PersonViewSet, basename="person")
router.register("postings", views.PostingViewSet, basename="posting")
router.register("parties", views.PartyViewSet, basename="party")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("places", views.PlaceViewSet, basename="place")
router.register("elections", views.ElectionViewSet, basename="election")
router.register("constituencies", views.ConstituencyViewSet, basename="constituency")
router.register("contests", views.ContestViewSet, basename="contest")
router.register("sources", views.SourceViewSet, basename="source")
router.register("person-merges", PersonMergeViewSet, basename="person-merge")

urlpatterns = [path("health/", HealthView.as_view(), name="health"), *router.urls]
