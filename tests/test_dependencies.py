"""The production install (requirements/prod.txt, exported from uv.lock) holds
every runtime dependency and no development tool, and keeps WhiteNoise's
brotli compression; every line is pinned with a hash. (scripts/check-lock.sh,
run by `make test`, checks that the files match pyproject.toml and uv.lock.)"""

from __future__ import annotations

import re
import tomllib

from django.conf import settings

ROOT = settings.BASE_DIR
NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {canonical(NAME.match(line).group(1)) for line in requirements}


def pinned(path) -> dict[str, str]:
    """name -> the full requirement entry (continuation lines joined)."""
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / path).read_text())
    found = {}
    for entry in entries:
        match = NAME.match(entry)
        if match and "==" in entry.split("\n", 1)[0]:
            found[canonical(match.group(1))] = entry
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
RUNTIME = declared(PROJECT["project"]["dependencies"])
DEV = declared(PROJECT["dependency-groups"]["dev"])


def test_production_gets_every_runtime_dependency_and_no_development_tool():
    prod = pinned("requirements/prod.txt")
    assert RUNTIME - set(prod) == set()
    assert DEV & set(prod) == set()


def test_production_keeps_brotli_so_whitenoise_writes_br_files():
    assert "whitenoise[brotli]" in "".join(PROJECT["project"]["dependencies"]).replace(" ", "")
    assert "brotli" in pinned("requirements/prod.txt")


def test_development_gets_everything_production_gets():
    dev = pinned("requirements/dev.txt")
    prod = pinned("requirements/prod.txt")
    assert set(prod) - set(dev) == set()
    assert DEV - set(dev) == set()
    assert {name: prod[name].split()[0] for name in prod} == {name: dev[name].split()[0] for name in prod}


def test_every_pin_is_exact_and_hashed():
    for path in ("requirements/prod.txt", "requirements/dev.txt"):
        for name, entry in pinned(path).items():
            assert "--hash=sha256:" in entry, f"{path}: {name} has no hash"
