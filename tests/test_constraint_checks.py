"""The builder's database-free constraint checks judge as the database does."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from records.constraints import holds, violations
from records.models import PartyResult, Posting


def all_check_constraints():
    for model in apps.get_app_config("records").get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield pytest.param(model, constraint, id=constraint.name)


@pytest.mark.parametrize(("model", "constraint"), list(all_check_constraints()))
def test_every_check_constraint_can_be_evaluated(model, constraint):
    holds(constraint.condition, model())  # raises NotImplementedError on an unsupported lookup


SAMPLES = [
    Posting(start_earliest=date(2021, 1, 1), end_latest=date(2020, 12, 31)),
    Posting(start_earliest=date(2021, 1, 1), end_latest=date(2021, 1, 1)),
    Posting(start_earliest=None, end_latest=date(2020, 1, 1)),
    Posting(start_earliest=date(2021, 1, 1), start_latest=date(2020, 1, 1)),
    PartyResult(seats_won=312, seats_with_allies=325, vote_share=Decimal("39.67")),
    PartyResult(seats_won=312, seats_with_allies=300),
    PartyResult(vote_share=Decimal("100.01")),
    PartyResult(vote_share=Decimal("0")),
]


@pytest.mark.django_db
@pytest.mark.parametrize("obj", SAMPLES, ids=lambda obj: type(obj).__name__)
def test_python_and_database_agree(obj):
    values = obj._get_field_expression_map(meta=obj._meta)  # what Model.validate_constraints() checks against
    for constraint in obj._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            assert holds(constraint.condition, obj) == constraint.condition.check(values), constraint.name


def test_violations_give_the_declared_messages():
    assert violations(PartyResult(seats_won=312, seats_with_allies=300)) == [
        "Seats with allies cannot be fewer than the party's own seats."
    ]
