"""Model fields for fuzzy dates: the EDTF string plus two indexed bound columns.

Declare all three at once in a model body::

    start, start_earliest, start_latest = fuzzy_date_fields("start")

The bound columns compute themselves from the string in ``pre_save``, so they
are right after ``save()`` and ``bulk_create()`` alike (not after
``QuerySet.update()``, which bypasses fields: pass the bounds there yourself).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from records.fuzzydates import FuzzyDateError, parse_fuzzy_date
from records.text import joined_key, normalise_name, sound_key, spelling_key

BOUNDS = ("earliest", "latest")


class FuzzyDateField(models.CharField):
    """An ISO 8601 / EDTF value such as "2021-03", "2011/2012" or "../2022"."""

    description = "Fuzzy date (ISO 8601 / EDTF subset)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            parse_fuzzy_date(value)
        except FuzzyDateError as exc:
            raise ValidationError(str(exc), code="invalid_fuzzy_date") from exc

    def pre_save(self, model_instance, add):
        value = (getattr(model_instance, self.attname) or "").strip()
        setattr(model_instance, self.attname, value)
        return value


class FuzzyDateBoundField(models.DateField):
    """One bound of a fuzzy date, derived from the sibling ``FuzzyDateField``."""

    def __init__(self, *args, source: str, bound: str, **kwargs):
        if bound not in BOUNDS:
            raise ValueError(f"bound must be one of {BOUNDS}, not {bound!r}")
        self.source = source
        self.bound = bound
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["bound"] = self.bound
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        raw = getattr(model_instance, self.source)
        try:
            parsed = parse_fuzzy_date(raw)
        except FuzzyDateError as exc:
            # save() without full_clean() must not store a bound that lies.
            raise ValidationError({self.source: str(exc)}, code="invalid_fuzzy_date") from exc
        value = getattr(parsed, self.bound)
        setattr(model_instance, self.attname, value)
        return value


class FuzzyDateOrderField(FuzzyDateBoundField):
    """The day a fuzzy date sorts at: its ``bound`` ("earliest" or "latest"),
    or the other bound when that side is open ("2021/.." ends on or after
    2021-01-01, so it sorts there among ends rather than with the unknown).
    NULL only when nothing is known."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("db_index", False)  # indexed with id, in the model's Meta
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        super().pre_save(model_instance, add)
        parsed = parse_fuzzy_date(getattr(model_instance, self.source))
        other = "latest" if self.bound == "earliest" else "earliest"
        value = getattr(parsed, self.bound) or getattr(parsed, other)
        setattr(model_instance, self.attname, value)
        return value


def fuzzy_date_fields(name: str, verbose_name: str | None = None, **kwargs):
    """Return the (value, earliest, latest) fields of the fuzzy date ``name``.

    Assign them to ``name``, ``name_earliest`` and ``name_latest``.
    """
    verbose_name = verbose_name or name.replace("_", " ")
    kwargs.setdefault(
        "help_text",
        'ISO 8601 / EDTF: "2021", "2021-03", "2021-03-15", "2011/2012", "../2022" (open start), '
        '"2021-03/.." (open end); empty when unknown.',
    )
    value = FuzzyDateField(verbose_name, **kwargs)
    earliest = FuzzyDateBoundField(f"{verbose_name} (earliest)", source=name, bound="earliest")
    latest = FuzzyDateBoundField(f"{verbose_name} (latest)", source=name, bound="latest")
    return value, earliest, latest


class SearchNameField(models.CharField):
    """The normalised form of a sibling name field (see ``records.text``),
    recomputed on every save and bulk insert, so name search is one indexed
    equality or prefix match on both SQLite and PostgreSQL."""

    def __init__(self, *args, source: str = "name", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    normalise = staticmethod(normalise_name)

    def pre_save(self, model_instance, add):
        value = self.normalise(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


class SpellingKeyField(SearchNameField):
    """The ``spelling_key`` of a sibling name field (records/text.py): what a
    search compares word by word, so that "Aseem Arun" finds "Asim Arun"."""

    normalise = staticmethod(spelling_key)


class SoundKeyField(SearchNameField):
    """The ``sound_key`` of a sibling name field (records/text.py): consonant
    skeletons, compared word by word, so that "Dohrey" finds "Dohare". Not a
    b-tree index: a search looks for one of its words, which a trigram index
    (PostgreSQL) or the FTS5 index (SQLite, records/search.py) serves."""

    normalise = staticmethod(sound_key)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("db_index", False)
        super().__init__(*args, **kwargs)


class JoinedKeyField(SearchNameField):
    """The ``joined_key`` of a sibling name field (records/text.py): the
    spelling key without spaces, so that "Siddharthnagar" finds "Siddharth
    Nagar" and the reverse. Not a b-tree index: a search looks for the text
    inside it, which a trigram index (PostgreSQL) or the FTS5 index (SQLite,
    records/search.py) serves."""

    normalise = staticmethod(joined_key)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("db_index", False)
        super().__init__(*args, **kwargs)


# Between the names of a list in one search column: normalised names hold no "/".
NAME_LIST_SEPARATOR = " / "
NAME_FORMS = {"name": normalise_name, "spelling": spelling_key, "sound": sound_key, "joined": joined_key}


class NameListSearchField(models.TextField):
    """A list of names (``Place.other_names``) in one of the search forms of
    ``NAME_FORMS``, joined by ``NAME_LIST_SEPARATOR``: "UP" and "U.P." give
    "up / u p". A search matches a name of the list as it matches a name
    column (records/search.py); recomputed on every save and bulk insert."""

    def __init__(self, *args, source: str = "other_names", form: str = "name", **kwargs):
        if form not in NAME_FORMS:
            raise ValueError(f"form must be one of {sorted(NAME_FORMS)}, not {form!r}")
        self.source, self.form = source, form
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["form"] = self.form
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        names = getattr(model_instance, self.source) or []
        forms = (NAME_FORMS[self.form](str(name)) for name in names)
        value = NAME_LIST_SEPARATOR.join(form for form in forms if form)
        setattr(model_instance, self.attname, value)
        return value
