"""Read specs compile each shape's row-to-JSON function (records/api/readspec.py,
``Spec._builder``). The compiled function must give what the parts themselves
give, key for key and in the same order, for every shape the API serves: the
lists', the details' and every shape nested in them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils import timezone

from records.api.readspec import Many, Page, Part, Ref, Spec
from records.api.urls import router
from records.models import (
    Constituency,
    ConstituencyAlias,
    Organisation,
    OrganisationIdentifier,
    Person,
    PersonMerge,
    Place,
    PlaceIdentifier,
)

pytestmark = pytest.mark.django_db


def every_spec() -> dict[int, tuple[Spec, tuple]]:
    """Each shape, with the viewset and action that serve it at the top level (or None: nested only)."""
    found: dict[int, tuple[Spec, tuple]] = {}

    def visit(spec: Spec | None, served: tuple) -> None:
        if spec is None:
            return
        if id(spec) in found:
            if served and not found[id(spec)][1]:
                found[id(spec)] = (spec, served)
            return
        found[id(spec)] = (spec, served)
        for part in spec.parts:
            visit(getattr(part, "spec", None), ())

    for _, viewset, _ in router.registry:
        for name, action in (("list_spec", "list"), ("detail_spec", "retrieve")):
            visit(getattr(viewset, name, None), (viewset, action))
    return found


FOUND = every_spec()
SPECS = [spec for spec, _ in FOUND.values()]


def queryset_of(spec: Spec):
    """The rows as the API reads them: the viewset's queryset (with its annotations) where one serves the shape."""
    _, served = FOUND[id(spec)]
    if not served:
        return spec.model.objects.all()
    viewset, action = served
    view = viewset(action=action, request=RequestFactory().get("/api/v1/"), kwargs={}, format_kwarg=None)
    return view.get_queryset()


def interpreted(spec: Spec, row: dict, page: Page, prefix: str = "") -> dict:
    """The shape as its parts give it one by one (what the compiled builder replaced)."""
    out = {}
    for part in spec.parts:
        if isinstance(part, Ref):
            inner = f"{prefix}{part.source}__"
            out[part.key] = None if row[f"{inner}id"] is None else interpreted(part.spec, row, page, inner)
        elif isinstance(part, Many) and part.spec is not None and not part.flat:
            children = [interpreted(part.spec, child, page, part.prefix) for child in row[prefix + part.slot]]
            out[part.key] = (children[0] if children else None) if part.first else children
        elif part.single():
            out[part.key] = part.value(row, prefix, page)
        else:
            out.update(part.values(row, prefix, page))
    return out


def test_every_shape_is_reached():
    names = {spec.name for spec in SPECS}
    assert {"Person", "PersonDetail", "ElectionDetail", "ContestDetail", "Citation"} <= names | {"Citation"}
    assert len(SPECS) > 30


@pytest.fixture
def every_kind_of_row(results_2017):
    """The seeds and the 2017 results, plus a row of each kind they lack."""
    OrganisationIdentifier.objects.create(organisation=Organisation.objects.first(), scheme="wikidata", value="Q1")
    PlaceIdentifier.objects.create(place=Place.objects.first(), scheme="iso-3166-2", value="IN-UP")
    ConstituencyAlias.objects.create(constituency=Constituency.objects.first(), name="Old name", kind="former_name")
    curator = get_user_model().objects.create_user("builder-curator")
    kept = Person.objects.first()
    PersonMerge.objects.create(kept=kept, removed_id=10**6, removed_name="A duplicate", merged_by=curator)
    PersonMerge.objects.create(
        kept=kept, removed_id=10**6 + 1, removed_name="Another", undone_by=curator, undone_at=timezone.now()
    )


@pytest.mark.parametrize("spec", SPECS, ids=[spec.name for spec in SPECS])
def test_the_compiled_builder_gives_what_the_parts_give(every_kind_of_row, spec):
    rows = list(queryset_of(spec).order_by("pk").values(*spec.columns())[:60])
    assert rows, spec.model
    page = Page(context={"request": RequestFactory().get("/api/v1/")})
    spec.load(rows, page)
    page.finish()  # the page's citations and links, as Spec.build reads them
    for row in rows:
        built = spec.build_one(row, page)
        expected = interpreted(spec, row, page)
        assert built == expected
        assert list(built) == list(expected)  # the keys' order is the JSON's


def test_a_part_that_overrides_its_value_is_called_not_inlined(db):
    class Shouting(Part):
        key = "name"

        def value(self, row, prefix, page):
            return row[f"{prefix}name"].upper()

        def columns(self, prefix):
            return [f"{prefix}name"]

    spec = Spec(Person, "ShoutingProbe", [Shouting()])
    assert spec.build_one({"name": "Asim Arun"}, Page()) == {"name": "ASIM ARUN"}
