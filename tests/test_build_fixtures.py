"""manage.py build_fixtures: deterministic output, --check, and clean refusals.

Each bad-annotation case breaks a scratch copy of the real seeds and checks
that the command fails naming the file, the claim and the reason, and that
no fixture file is written.
"""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

SEED_000 = "000_b84d1872df6a742e"
SEED_002 = "002_2c5037d3f0a176ad"


def build(seeds: Path, out: Path, *args: str) -> None:
    call_command("build_fixtures", "--seeds", str(seeds), "--out", str(out), *args, verbosity=0)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*"))}


def test_two_builds_give_identical_bytes(tmp_path):
    build(settings.SEEDS_DIR, tmp_path / "a")
    build(settings.SEEDS_DIR, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    assert set(snapshot(tmp_path / "a")) == {
        "sources.json",
        "gazetteer.json",
        "people.json",
        "claims.json",
        "citations.json",
    }


def test_the_committed_fixtures_are_up_to_date():
    build(settings.SEEDS_DIR, settings.FIXTURES_DIR, "--check")


def test_check_fails_on_stale_fixtures_and_writes_nothing(tmp_path, seed_copy):
    build(seed_copy, tmp_path / "out")
    before = snapshot(tmp_path / "out")
    annotation = seed_copy / f"{SEED_002}.yaml"
    annotation.write_text(annotation.read_text().replace("seats_won: 47", "seats_won: 48"))
    with pytest.raises(CommandError, match=r"stale: claims\.json"):
        build(seed_copy, tmp_path / "out", "--check")
    assert snapshot(tmp_path / "out") == before


def test_check_fails_when_a_fixture_file_is_missing(tmp_path):
    build(settings.SEEDS_DIR, tmp_path)
    (tmp_path / "people.json").unlink()
    with pytest.raises(CommandError, match=r"stale: people\.json"):
        build(settings.SEEDS_DIR, tmp_path, "--check")


# (file, text to replace, replacement, claim named in the message, reason in the message)
BAD_ANNOTATIONS = [
    pytest.param(
        SEED_000,
        "until on or after it.\n  - party: bjp",
        "until on or after it.\n  - party: spg",
        "governments[0]",
        "'spg' is an organisation of kind 'security', not a party",
        id="government-by-a-non-party",
    ),
    pytest.param(
        SEED_000,
        '    cite: "He has also served as SP in Garhwal (then under UP)."\n',
        "",
        "postings[10] 'sp-garhwal'",
        "no quote supports this record",
        id="missing-quote",
    ),
    pytest.param(
        SEED_000,
        '"Earlier, he was the Chief of UP ATS."',
        '"Earlier he was the chief of UP ATS."',
        "postings[1] 'ats-chief'",
        "does not occur verbatim",
        id="non-verbatim-quote",
    ),
    pytest.param(
        SEED_000,
        '"He was earlier the ADG of the UP 112 emergency services."',
        '"He was earlier the ADG of the UP 112 emergency  services."',
        "postings[2] 'adg-112'",
        "differs only in case, spacing or quotation marks",
        id="near-miss-quote",
    ),
    pytest.param(
        SEED_002,
        "  - key: dgp\n    person: brij-lal",
        "  - key: dgp\n    person: brij-lal-ji",
        "postings[7] 'dgp'",
        "unknown reference: no person with id 'brij-lal-ji'",
        id="unknown-reference",
    ),
    pytest.param(
        SEED_002,
        "    previous: adg-112\n",
        "    previous: adg-113\n",
        "postings[1] 'kanpur-commissioner'",
        "unknown reference: no posting 'adg-113'",
        id="unknown-posting-reference",
    ),
    pytest.param(
        SEED_002,
        'start: "2011"\n    end: "2012"',
        'start: "2011"\n    end: "2012-13"',
        "postings[7] 'dgp'",
        "invalid date: '2012-13' is not a fuzzy date: month 13 does not exist",
        id="invalid-date",
    ),
    pytest.param(
        SEED_002,
        'start: "2011"\n    end: "2012"',
        'start: "2013"\n    end: "2012"',
        "postings[7] 'dgp'",
        "end date cannot be before the start date",
        id="end-before-start",
    ),
    pytest.param(
        SEED_002,
        "    date: last night\n",
        "    date: last week\n",
        "events[2] 'meeting-brij-lal'",
        "invalid date: 'last week' is neither a fuzzy date nor a relative date",
        id="unresolvable-relative-date",
    ),
    pytest.param(
        SEED_000,
        "    date: on Saturday\n",
        "    date: yesterday\n",
        "events[0] 'retirement-applied'",
        "the relative date 'yesterday' must occur in one of this claim's quotes",
        id="relative-date-without-its-words",
    ),
    pytest.param(
        SEED_002,
        "    status: reported\n",
        "    status: rumoured\n",
        "events[1] 'retirement-pending'",
        "status: Value 'rumoured' is not a valid choice",
        id="wrong-status",
    ),
    pytest.param(
        SEED_002,
        "  - key: dgp\n    person: brij-lal\n    role: Director General of Police\n",
        "  - key: dgp\n    person: brij-lal\n    role: Director General of Police\n    role: Chief\n",
        "",
        "duplicate key 'role'",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        SEED_002,
        "  - key: rajya-sabha-member\n",
        "  - key: dgp\n",
        "postings[8] 'dgp'",
        "duplicate key: the same claim is already in this file",
        id="duplicate-claim-key",
    ),
    pytest.param(
        SEED_002,
        "  - id: brij-lal\n",
        "  - id: mayawati\n",
        "persons[5] 'mayawati'",
        "duplicate person id 'mayawati' in this file",
        id="duplicate-entity-id",
    ),
    pytest.param(
        SEED_002,
        "        seats_with_allies: 325\n",
        "        seats_with_allies: 300\n",
        "elections[1] 'up-2017' (line",
        "Seats with allies cannot be fewer",
        id="constraint-seats-with-allies",
    ),
    pytest.param(
        SEED_002,
        "        vote_share: 39.67\n",
        "        vote_share: 139.67\n",
        "results[0]",
        "vote share is between 0 and 100",
        id="constraint-vote-share",
    ),
    pytest.param(
        SEED_002,
        "    kind: retirement_pending\n",
        "    kind: retirement_pending\n    colour: red\n",
        "events[1] 'retirement-pending'",
        "unknown key 'colour'",
        id="unknown-key",
    ),
    pytest.param(
        SEED_002,
        "  sha256: 97bf3e3d84082a1c9f1bf38f6e13b5b2019f90d1f4a9a10bed88122f5590a036",
        "  sha256: 0000000000000000000000000000000000000000000000000000000000000000",
        "source",
        "does not match the document's bytes",
        id="wrong-sha256",
    ),
    pytest.param(
        SEED_000,
        '    status: expected\n    cite: "He is likely to join the ruling Bharatiya Janata Party (BJP) and contest',
        '    status: speculated\n    cite: "He is likely to join the ruling Bharatiya Janata Party (BJP) and contest',
        "",
        "",
        id="status-change-is-fine",
    ),
    pytest.param(
        SEED_000,
        "  not_stated: [title, publisher, url]\n",
        "  not_stated: [title, publisher, url]\n  publisher: The Daily Example\n",
        "source",
        "not_stated names publisher, which the annotation also gives",
        id="not-stated-but-given",
    ),
    pytest.param(
        SEED_000,
        "  not_stated: [title, publisher, url]\n",
        "  not_stated: [title, author]\n",
        "source",
        "not_stated must list some of: title, publisher, url",
        id="not-stated-unknown-field",
    ),
    pytest.param(
        SEED_002,
        "  - id: brij-lal\n    name: Brij Lal\n",
        "  - id: brij-lal\n    name: [Brij, Lal]\n",
        "persons[2] 'brij-lal'",
        "'name' must be text",
        id="name-not-text",
    ),
    pytest.param(
        SEED_002,
        "      - {name: Asim Kumar Arun, kind: full_name,",
        "      - Asim K. Arun\n      - {name: Asim Kumar Arun, kind: full_name,",
        "aliases[0]",
        "must be a mapping",
        id="alias-not-a-mapping",
    ),
    pytest.param(
        SEED_002,
        'cite: "BSP won 19"}',
        'cite: {quote: "BSP won 19", occurrence: 0}}',
        "results[2] cite",
        "occurrence counts from 1",
        id="occurrence-zero",
    ),
    pytest.param(
        SEED_002,
        '{quote: "the first police commissioner of Kanpur last year", field: start, said: last year}',
        '{quote: "the first police commissioner of Kanpur last year", said: last year}',
        "postings[1] 'kanpur-commissioner'",
        "must name the 'field' they date",
        id="said-without-field",
    ),
    pytest.param(
        SEED_002,
        "        vote_share: 39.67\n",
        "        vote_share: 39.675\n",
        "results[0] vote_share",
        "has more than two decimal places",
        id="vote-share-rounding",
    ),
    pytest.param(
        SEED_002,
        "        vote_share: 39.67\n",
        "        vote_share: .nan\n",
        "results[0] vote_share",
        "is not a number",
        id="vote-share-nan",
    ),
    pytest.param(
        SEED_002,
        "source:\n  language: en\n  # The text is the article's body after its date line: no headline, no\n"
        "  # publisher, no address.\n  not_stated: [title, publisher, url]\n"
        "  sha256: 97bf3e3d84082a1c9f1bf38f6e13b5b2019f90d1f4a9a10bed88122f5590a036\n",
        "source: the Indian Express\n",
        "source",
        "must be a mapping",
        id="source-not-a-mapping",
    ),
    pytest.param(
        SEED_002,
        "      - {name: UP police, kind: short_name,",
        "      - {name: UP police, kind: misspelling,",
        "",
        "",
        id="alias-kind-same-file-fine",
    ),
    pytest.param(
        SEED_002,
        "      - {name: Bharatiya Janta Party, kind: misspelling,",
        "      - {name: Indian Police Services, kind: misspelling,",
        "",
        "its names match more than one organisation",
        id="alias-naming-another-entity",
    ),
    pytest.param(
        SEED_002,
        "  - key: ats-chief\n    person: asim-arun\n",
        "  - key: ats-chief\n    previous: kanpur-commissioner\n    person: asim-arun\n",
        "postings[3] 'ats-chief'",
        "the 'previous' postings loop back",
        id="previous-loop",
    ),
    pytest.param(
        SEED_002,
        "    contradicts: [retirement-approved]\n",
        "    contradicts: [retirement-approved, retirement-pending]\n",
        "events[1] 'retirement-pending'",
        "an event cannot contradict itself",
        id="contradicts-itself",
    ),
    pytest.param(
        SEED_002,
        "  - id: brij-lal\n    name: Brij Lal\n",
        "  - id: brij-lal\n    name: BRIJ LAL\n",
        "",
        "",
        id="main-name-case-only-difference-is-fine",
    ),
]


@pytest.mark.parametrize(("seed", "old", "new", "claim", "reason"), BAD_ANNOTATIONS)
def test_it_rejects_bad_annotations_and_writes_nothing(tmp_path, seed_copy, capsys, seed, old, new, claim, reason):
    annotation = seed_copy / f"{seed}.yaml"
    text = annotation.read_text()
    assert old in text, "the test's anchor text must exist in the annotation"
    annotation.write_text(text.replace(old, new, 1))
    out = tmp_path / "out"
    if not reason:  # a control: the change is valid, the build succeeds
        build(seed_copy, out)
        assert (out / "claims.json").exists()
        return
    with pytest.raises(CommandError, match="no fixture was written"):
        build(seed_copy, out)
    message = capsys.readouterr().err
    assert f"seeds/{seed}.yaml" in message
    assert claim in message
    assert reason in message
    assert not out.exists() or not any(out.iterdir())


def test_it_names_a_document_without_annotation(tmp_path, seed_copy, capsys):
    (seed_copy / f"{SEED_000}.yaml").unlink()
    with pytest.raises(CommandError):
        build(seed_copy, tmp_path / "out")
    assert f"seeds/{SEED_000}.txt: no annotation file beside it" in capsys.readouterr().err


def test_it_rejects_an_annotation_that_is_not_yaml(tmp_path, seed_copy, capsys):
    (seed_copy / f"{SEED_000}.yaml").write_text("persons: [\n")
    with pytest.raises(CommandError):
        build(seed_copy, tmp_path / "out")
    assert f"seeds/{SEED_000}.yaml: line" in capsys.readouterr().err


def test_a_failed_build_leaves_existing_fixtures_untouched(tmp_path, seed_copy):
    out = tmp_path / "out"
    build(seed_copy, out)
    before = snapshot(out)
    annotation = seed_copy / f"{SEED_000}.yaml"
    annotation.write_text(annotation.read_text().replace("status: confirmed", "status: sure", 1))
    with pytest.raises(CommandError):
        build(seed_copy, out)
    assert snapshot(out) == before
