from rest_framework.routers import DefaultRouter

from records.api import views

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

urlpatterns = router.urls
