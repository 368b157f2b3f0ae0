"""seeds/ holds the source documents byte for byte."""

import hashlib

import pytest
from django.conf import settings

# sha256 of the documents as published (../shared/seeds/).
EXPECTED = {
    "000_b84d1872df6a742e.txt": "08cf37539c40d1a96fa5ae82b82c08865ecd73c1e0646688f22f079082e3ca50",
    "002_2c5037d3f0a176ad.txt": "97bf3e3d84082a1c9f1bf38f6e13b5b2019f90d1f4a9a10bed88122f5590a036",
}


@pytest.mark.parametrize(("name", "digest"), EXPECTED.items())
def test_seed_documents_are_verbatim(name, digest):
    assert hashlib.sha256((settings.SEEDS_DIR / name).read_bytes()).hexdigest() == digest


def test_every_seed_document_is_known():
    assert sorted(p.name for p in settings.SEEDS_DIR.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_seed_documents_match_the_shared_originals(name):
    original = settings.BASE_DIR.parent / "shared" / "seeds" / name
    if not original.exists():
        pytest.skip(f"no shared originals at {original.parent} on this machine")
    assert (settings.SEEDS_DIR / name).read_bytes() == original.read_bytes()
