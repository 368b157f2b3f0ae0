"""Model validation shared by API writes and the admin: the model's field
validation, ``clean()`` and uniqueness, plus every database constraint, judged
on the record as it would be saved.

Django checks constraints only on the fields a form shows; here the derived
columns (fuzzy-date bounds, normalised names) are computed first, so "the end
cannot be before the start" is a message on ``end`` (a 400 in the API, a form
error in the admin), never an IntegrityError. Messages are keyed by the field
a client or curator enters."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import Q

from records.constraints import holds
from records.fields import FuzzyDateBoundField, FuzzyDateField, SearchNameField


def model_errors(
    instance: models.Model, *, unset: Iterable[str] = (), non_field_key: str = NON_FIELD_ERRORS
) -> dict[str, list[str]]:
    """Every validation message for ``instance``, by field ({} when it is valid).

    ``unset``: fields the client cannot send; they keep their stored (or
    default) values and are not checked on their own."""
    derive_columns(instance)
    # Related records are not looked up again: the serializer's fields
    # (RecordRefField) resolved them from the querysets that say what may be referenced.
    fields = instance._meta.concrete_fields
    exclude = {f.name for f in fields if not f.editable or f.is_relation} | set(unset)
    errors: dict[str, list] = {}
    for check in (lambda: instance.clean_fields(exclude=exclude), instance.clean):
        try:
            check()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
    # Uniqueness and constraints only on the values that passed (as Model.full_clean does).
    failed = {name for name in errors if name != NON_FIELD_ERRORS}
    failed |= {f.name for f in fields if source_of(f) in failed}
    try:
        instance.validate_unique(exclude=exclude | failed)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    for key, message in constraint_errors(instance, exclude=failed):
        errors.setdefault(key, []).append(message)
    by_client_key: dict[str, list[str]] = {}
    for name, messages in errors.items():
        key = client_key(instance, name, non_field_key)
        by_client_key.setdefault(key, []).extend(str(m) for e in messages for m in _messages(e))
    return by_client_key


def derive_columns(instance: models.Model) -> None:
    """Compute the columns a save derives (fuzzy-date bounds, search names) now."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, FuzzyDateField | SearchNameField):
            field.pre_save(instance, add=instance._state.adding)
        elif isinstance(field, FuzzyDateBoundField):
            try:
                field.pre_save(instance, add=instance._state.adding)
            except ValidationError:  # an invalid fuzzy date: clean_fields names it
                setattr(instance, field.attname, None)


def constraint_errors(instance: models.Model, *, exclude: set[str]) -> list[tuple[str, str]]:
    """(field, message) for each database constraint the instance would
    violate, skipping those on an excluded field. Check constraints are judged
    in Python, as the database would (records.constraints, tested
    against it), so only unique constraints cost a query."""
    using = router.db_for_write(type(instance), instance=instance)
    found = []
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            if isinstance(constraint, models.CheckConstraint):
                if not constraint.condition.referenced_base_fields & exclude and not holds(
                    constraint.condition, instance
                ):
                    found.append((constraint_key(constraint), str(constraint.get_violation_error_message())))
                continue
            try:
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as exc:
                found += [
                    (constraint_key(constraint), message) for message in _constraint_messages(instance, constraint, exc)
                ]
    return found


def constraint_key(constraint) -> str:
    """The field a violated constraint is reported on: a check constraint's
    first field ("end" for "the end cannot be before the start"), a unique
    constraint's last ("number" for a phase number taken in that election)."""
    if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
        return constraint.fields[-1]
    if isinstance(constraint, models.CheckConstraint):
        first = _first_field(constraint.condition)
        if first:
            return first
    return NON_FIELD_ERRORS


def _first_field(condition) -> str | None:
    for child in condition.children if isinstance(condition, Q) else ():
        name = _first_field(child) if isinstance(child, Q) else child[0].split("__")[0]
        if name:
            return name
    return None


def _constraint_messages(instance, constraint, exc: ValidationError) -> list[str]:
    if (
        isinstance(constraint, models.UniqueConstraint)
        and len(constraint.fields) > 1
        and exc.code in ("unique", "unique_together")
    ):
        opts = instance._meta
        names = " and ".join(str(opts.get_field(client_key(instance, name)).verbose_name) for name in constraint.fields)
        return [f"Another {opts.verbose_name} has the same {names}."]
    return list(_messages(exc))


def client_key(instance: models.Model, name: str, non_field_key: str = NON_FIELD_ERRORS) -> str:
    """The field a client sends for a model field name: a fuzzy date's bound is
    its date, a search name its name; Django's "__all__" is ``non_field_key``
    (the API passes DRF's)."""
    if name == NON_FIELD_ERRORS:
        return non_field_key
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a key clean() made up
        return name
    return source_of(field) or name


def source_of(field) -> str | None:
    return getattr(field, "source", None) if isinstance(field, FuzzyDateBoundField | SearchNameField) else None


def _messages(error) -> Iterable[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error)]
