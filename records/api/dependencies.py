"""Which tables an answer is read from, worked out from the code that reads
it: the read spec's columns and nested lists, the filterset's filters, the
point of view (``as_of``) and what a resource declares for the few parts
that run code of their own (``reads=``). A conditional GET compares these
tables' versions (records/dataversions.py); tests/test_api_dependencies.py
runs every benchmark scenario and checks that no query reads a table
outside its endpoint's set."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP

from records.api import claim_parts, readspec
from records.models import Citation, ClaimLink, Source


def path_models(model, path: str) -> set:
    """The models a lookup path (``organisation__place__slug``,
    ``citations__source__published_on__lte``) passes through, ``model`` included."""
    found = {model}
    for name in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            break  # a lookup (lte, in, isnull...) or a transform
        if not field.is_relation or field.related_model is None:
            break
        model = field.related_model
        found.add(model)
    return found


def q_paths(condition: Q) -> Iterable[str]:
    for child in condition.children:
        if isinstance(child, Q):
            yield from q_paths(child)
        else:
            yield child[0]
            yield from expression_paths(child[1])


def expression_paths(expression) -> Iterable[str]:
    """The field paths an ordering or an expression names ("-start", F("person__name"))."""
    if isinstance(expression, str):
        yield expression.lstrip("-")
    elif hasattr(expression, "flatten"):
        for node in expression.flatten():
            if isinstance(node, F):
                yield node.name
            elif isinstance(node, Q):
                yield from q_paths(node)


def spec_models(spec: readspec.Spec, model=None, prefix: str = "") -> set:
    """The models ``spec`` reads (read under ``prefix`` from ``model``, its own by default)."""
    model = model or spec.model
    found = {model}
    for column in spec.columns(prefix):
        found |= path_models(model, column)
    for part in spec.parts:
        found |= part_models(part, spec, model, prefix)
    return found


def part_models(part, spec: readspec.Spec, model, prefix: str) -> set:
    found = set(getattr(part, "reads", ()))
    if isinstance(part, readspec.Ref):
        found |= spec_models(part.spec, model, f"{prefix}{part.source}__")
    elif isinstance(part, readspec.Many):
        many = part.model or part.spec.model
        paths = [part.fk, *part.also, *([part.flat] if part.flat else [])]
        paths += [path for order in part.order_by or () for path in expression_paths(order)]
        if part.where is not None:
            paths += q_paths(part.where)
        for path in paths:
            found |= path_models(many, path)
        if part.spec is not None:
            found |= spec_models(part.spec, many, part.prefix)
        if part.cited is not None:
            found |= KNOWLEDGE
    elif isinstance(part, claim_parts.Citations):
        found |= spec_models(claim_parts.CITATION)
    elif isinstance(part, claim_parts.Links):
        found |= {ClaimLink, *KNOWLEDGE}  # the links, and the first source citing each (``since``)
    return found


# What an ``as_of`` or ``according_to`` point of view reads: citations and their sources' days.
KNOWLEDGE = frozenset({Citation, Source})


def filterset_models(filterset_class) -> set:
    """The models a list's filters may read: each filter's field path, the
    records a relation filter resolves, and what the filterset declares its
    methods read (``reads``)."""
    model = filterset_class._meta.model
    found = {model, *KNOWLEDGE, *getattr(filterset_class, "reads", ())}
    for filter_ in filterset_class.base_filters.values():
        if filter_.field_name:
            found |= path_models(model, filter_.field_name)
        queryset = getattr(filter_, "record_queryset", None)  # a relation filter resolves its record
        if queryset is not None:
            found |= {queryset.model}
        found |= set(getattr(filter_, "reads", ()))
    return found


def tables(models: Iterable) -> frozenset[str]:
    """The models' tables, with those of the records' many-to-many relations
    (a user's groups and permissions are never part of an answer)."""
    found = set()
    for model in models:
        if model is ContentType:
            continue  # ids fixed once created: read to answer, never part of an answer
        found.add(model._meta.db_table)
        if model._meta.app_label == "records":
            found |= {field.remote_field.through._meta.db_table for field in model._meta.many_to_many}
    return frozenset(found)
