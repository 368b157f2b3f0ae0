"""DjangoFilterBackend without its per-request set-up cost.

django-filter deep-copies every declared filter (with the querysets they hold)
and builds a new form class, and so new form fields, on every request: on a
list page that was a third of the time. Here each filterset class does that
once: a request gets shallow copies of the filters (their own ``parent`` and
method binding, shared read-only querysets and fields) and a form of the
cached class, sharing its fields. What is filtered, validated and reported is
unchanged (tests/test_api_filters.py, tests/test_api_errors.py)."""

from __future__ import annotations

import copy
import functools
from collections import OrderedDict

from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend


class PreparedFilterBackend(DjangoFilterBackend):
    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        return prepared(filterset_class) if filterset_class is not None else None


@functools.cache
def prepared(filterset_class):
    """A subclass of ``filterset_class`` whose instances are cheap to make."""
    return type(filterset_class.__name__, (PreparedFilterSetMixin, filterset_class), {"__module__": __name__})


def _copy(prototype):
    filter_ = copy.copy(prototype)
    if getattr(prototype, "_method", None) is not None:
        filter_.method = prototype._method  # binds a FilterMethod to this copy, not the prototype
    return filter_


class PreparedFilterSetMixin:
    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = OrderedDict((name, _copy(f)) for name, f in self.base_filters.items())
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        return _form_class(type(self))


@functools.cache
def _form_class(filterset_class):
    for prototype in filterset_class.base_filters.values():
        prototype.model = filterset_class._meta.model  # as a request's copies have it (labels)
    fields = OrderedDict((name, f.field) for name, f in filterset_class.base_filters.items())
    form_class = type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


class _SharedFields(dict):
    """The form fields of a filterset, shared by its forms: a form deep-copies
    its class's fields on creation, but validating a query string reads the
    fields and never changes them (nothing renders these forms)."""

    def __deepcopy__(self, memo):
        return dict(self)
