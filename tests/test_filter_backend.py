"""The lists' filtersets as records/api/filter_backend.py prepares them (shared
fields, parameters a query string leaves out not validated) validate and
filter exactly as django-filter's own do: the same cleaned values in the same
order, the same errors, the same SQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory
from rest_framework.request import Request

from records.api.filter_backend import prepared
from records.api.urls import router

# Lists with filters (person merges have none: any parameter but paging is a 400 there).
LISTS = sorted(
    (prefix, viewset)
    for prefix, viewset, _ in router.registry
    if getattr(viewset, "filterset_class", None) and viewset.filterset_class.base_filters
)


def query_strings(filterset_class) -> list[str]:
    """No parameter; then each parameter alone, empty, and with a value that
    some take and others refuse; then all of them at once."""
    names = list(filterset_class.base_filters)
    queries = [""]
    for name in names:
        queries += [f"{name}=", f"{name}=x", f"{name}=1", f"{name}=2017-05-01"]
    queries.append("&".join(f"{name}=1" for name in names))
    return queries


def outcome(filterset) -> tuple:
    valid = filterset.is_valid()
    cleaned = list(filterset.form.cleaned_data.items())
    errors = {name: list(messages) for name, messages in filterset.errors.items()}
    sql = str(filterset.qs.query) if valid else None
    return valid, cleaned, errors, sql


@pytest.mark.parametrize(("prefix", "viewset"), LISTS, ids=[prefix for prefix, _ in LISTS])
def test_a_prepared_filterset_validates_and_filters_as_django_filter_does(db, prefix, viewset):
    plain = viewset.filterset_class
    django_request = RequestFactory().get("/")
    django_request.user = AnonymousUser()
    request = Request(django_request)
    view = viewset(request=request, action="list", format_kwarg=None, kwargs={})
    checked = 0
    for query in query_strings(plain):
        data = QueryDict(query)
        expected = outcome(plain(data, view.get_queryset(), request=request))
        got = outcome(prepared(plain)(data, view.get_queryset(), request=request))
        assert got == expected, (prefix, query)
        checked += 1
    assert checked > 4
