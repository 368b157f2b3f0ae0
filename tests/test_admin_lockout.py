"""Guessing passwords on the admin: after DJANGO_LOGIN_FAILURE_LIMIT failures
(5 by default) for one username from one address, that pair is locked out for
a while with a clear message, even with the right password; the same account
from elsewhere, and other accounts from that address, are unaffected."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def curator(db, settings):
    settings.AXES_ENABLED = True  # off in the test settings (client.login() cannot pass a request)
    user_model = get_user_model()
    user_model.objects.create_user("curator", password=PASSWORD, is_staff=True)
    user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    return "curator"


def log_in(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_repeated_failures_lock_out_that_username_from_that_address(curator, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    attacker = "203.0.113.20"
    for _ in range(4):
        response = log_in(attacker, curator, "guess")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = log_in(attacker, curator, "guess")  # the fifth failure
    assert locked.status_code == 429
    message = "Too many failed logins for this username from your address. Try again in 15 minutes."
    assert locked.content.decode() == message

    with_the_right_password = log_in(attacker, curator, PASSWORD)
    assert with_the_right_password.status_code == 429
    assert with_the_right_password.content.decode() == message

    assert log_in("198.51.100.5", curator, PASSWORD).status_code == 302  # the curator, from elsewhere
    assert log_in(attacker, "editor", PASSWORD).status_code == 302  # another account, same address


def test_a_success_before_the_limit_starts_the_count_again(curator):
    address = "203.0.113.21"
    for _ in range(4):
        assert log_in(address, curator, "guess").status_code == 200
    assert log_in(address, curator, PASSWORD).status_code == 302
    for _ in range(4):
        assert log_in(address, curator, "guess").status_code == 200
    assert log_in(address, curator, PASSWORD).status_code == 302


def test_attempts_during_a_lockout_do_not_extend_it(curator, settings):
    """Else anyone sharing the address could keep the account's owner locked out for ever."""
    import contextlib
    from datetime import timedelta
    from unittest import mock

    from django.utils import timezone

    start = timezone.now()

    @contextlib.contextmanager
    def minutes_later(minutes: int):
        moment = start + timedelta(minutes=minutes)
        with contextlib.ExitStack() as stack:
            for clock in ("django.utils.timezone.now", "axes.attempts.now", "axes.handlers.proxy.now"):
                stack.enter_context(mock.patch(clock, return_value=moment))
            yield

    address = "203.0.113.22"
    with minutes_later(0):
        assert [log_in(address, curator, "guess").status_code for _ in range(5)][-1] == 429
    with minutes_later(14):  # more guesses, each refused ...
        assert [log_in(address, curator, "guess").status_code for _ in range(3)] == [429] * 3
    with minutes_later(16):  # ... and fifteen minutes after the failure that locked it, the owner gets in
        assert log_in(address, curator, PASSWORD).status_code == 302
