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

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django_filters.rest_framework import DjangoFilterBackend


class PreparedFilterBackend(DjangoFilterBackend):
    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        return prepared(filterset_class) if filterset_class is not None else None

    def get_filterset(self, request, queryset, view):
        # Kept on the view: what the list's filters resolved (its point of view,
        # a source named by slug) serves its read spec too, not looked up again.
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


@functools.cache
def prepared(filterset_class):
    """A subclass of ``filterset_class`` whose instances are cheap to make."""
    return type(filterset_class.__name__, (PreparedFilterSetMixin, filterset_class), {"__module__": __name__})


def _copy(prototype):
    filter_ = object.__new__(type(prototype))  # copy.copy, without its __reduce_ex__ round trip
    filter_.__dict__.update(prototype.__dict__)
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
    form_class = type(f"{filterset_class.__name__}Form", (AbsentFieldsForm, filterset_class._meta.form), fields)
    form_class.base_fields = _SharedFields(form_class.base_fields)
    form_class.absent_values = _absent_values(form_class)
    return form_class


class AbsentFieldsForm:
    """A form that does not validate the parameters a query string leaves out:
    each such field's cleaned value is the one it always has when absent,
    worked out once per form class. A list takes 10 to 30 parameters and a
    request names a few; validating every field was a fifth of the filtering."""

    absent_values: dict = {}

    def full_clean(self):
        absent = {
            name: value
            for name, value in self.absent_values.items()
            if self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        }
        if not absent or not self.is_bound:
            super().full_clean()
            return
        every_field = self.fields
        self.fields = {name: field for name, field in every_field.items() if name not in absent}
        try:
            super().full_clean()
        finally:
            self.fields = every_field
        cleaned = self.cleaned_data
        # In the fields' order, as a full validation gives them (filters apply in this order).
        self.cleaned_data = {
            name: copy.copy(absent[name]) if name in absent else cleaned[name]
            for name in every_field
            if name in absent or name in cleaned
        }


def _absent_values(form_class) -> dict:
    """Each field's cleaned value when the query string leaves it out; a field
    that refuses being left out (or has a clean_<name> hook) is validated every time."""
    values = {}
    nothing, no_files = QueryDict(), MultiValueDict()
    for name, field in form_class.base_fields.items():
        if field.disabled or hasattr(form_class, f"clean_{name}"):
            continue
        try:
            values[name] = field.clean(field.widget.value_from_datadict(nothing, no_files, name))
        except ValidationError:
            continue
    return values


class _SharedFields(dict):
    """The form fields of a filterset, shared by its forms: a form deep-copies
    its class's fields on creation, but validating a query string reads the
    fields and never changes them (nothing renders these forms)."""

    def __deepcopy__(self, memo):
        return dict(self)
