"""The product's URLs plus the limit views under /limit/v1/ (benchmark only)."""

from django.urls import path

from bench import limit_views
from config.urls import urlpatterns as product_urls

urlpatterns = [
    path("limit/v1/persons/", limit_views.persons),
    path("limit/v1/persons/<str:key>/", limit_views.person),
    path("limit/v1/postings/", limit_views.postings),
    path("limit/v1/elections/<str:key>/", limit_views.election),
    *product_urls,
]
