"""Bulk downloads: dated, checksummed files a static web server can serve.

``publish(folder, ...)`` writes one release into ``folder/<YYYY-MM-DD>/``: a
Popolo JSON file, one CSV per list resource, a README naming the license of
every source, a SHA256SUMS file and a manifest. The release is written into a
hidden sibling folder first and renamed into place, so a reader never sees a
half-written release; then ``latest.json`` (the manifest of the newest release)
and the ``latest`` symlink are replaced, each atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from records.models import Source

MANIFEST = "manifest.json"
LATEST_MANIFEST = "latest.json"
LATEST_LINK = "latest"
CHECKSUMS = "SHA256SUMS"
README = "README.md"

MEDIA_TYPES = {".json": "application/json", ".csv": "text/csv", ".md": "text/markdown"}


class PublishFailed(Exception):
    """The release could not be written; nothing was published."""


@dataclass(frozen=True)
class Export:
    """One file of a release: its name and what writes it (returns the number of records written)."""

    name: str
    write: Callable[[BinaryIO], int]
    describes: str


@dataclass(frozen=True)
class PublishedFile:
    name: str
    media_type: str
    bytes: int
    sha256: str
    records: int | None
    describes: str


@dataclass(frozen=True)
class Release:
    published_on: str
    generated_at: str
    folder: str
    files: list[PublishedFile]

    def manifest(self) -> dict:
        return asdict(self)


def check_writable(folder: Path) -> None:
    """Refuse, before anything is written, a folder that cannot take a release."""
    if folder.exists() and not folder.is_dir():
        raise PublishFailed(f"{folder} exists and is not a folder.")
    parent = folder if folder.exists() else _existing_parent(folder)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PublishFailed(f"{parent} is not writable: no release was written.")


def _existing_parent(folder: Path) -> Path:
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                raise PublishFailed(f"{parent} is not a folder.")
            return parent
    return Path("/")


def publish(folder: Path, exports: Iterable[Export], *, on: date, replace: bool = False) -> Release:
    """Write a release dated ``on`` into ``folder`` and make it the latest."""
    folder = Path(folder)
    check_writable(folder)
    target = folder / on.isoformat()
    if target.exists() and not replace:
        raise PublishFailed(f"{target} already holds a release: pass --replace to publish it again.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{on.isoformat()}.", suffix=".partial", dir=folder))
    except OSError as error:
        raise PublishFailed(f"{folder} cannot take a release ({error.strerror}): nothing was written.") from error
    try:
        files = [_write(partial, export) for export in exports]
        files.append(_write_readme(partial, on))
        release = Release(
            published_on=on.isoformat(),
            generated_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            folder=target.name,
            files=files,
        )
        _write_checksums(partial, files)
        _write_json(partial / MANIFEST, release.manifest())
        os.chmod(partial, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap_into_place(partial, target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _write_json(folder / LATEST_MANIFEST, release.manifest())
    _point_latest(folder, target.name)
    return release


def latest(folder: Path) -> dict | None:
    """The manifest of the newest release in ``folder``, or None when none was published."""
    try:
        return json.loads((Path(folder) / LATEST_MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _write(folder: Path, export: Export) -> PublishedFile:
    path = folder / export.name
    with open(path, "wb") as handle:
        records = export.write(handle)
    return _described(path, records, export.describes)


def _described(path: Path, records: int | None, describes: str) -> PublishedFile:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return PublishedFile(
        name=path.name,
        media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        bytes=path.stat().st_size,
        sha256=digest.hexdigest(),
        records=records,
        describes=describes,
    )


def _write_readme(folder: Path, on: date) -> PublishedFile:
    path = folder / README
    path.write_text(readme(on), encoding="utf-8")
    return _described(path, None, "What the files are and the license of each source.")


def readme(on: date) -> str:
    sources = Source.objects.order_by("kind", "published_on", "slug").only(
        "slug", "kind", "title", "publisher", "url", "license", "published_on"
    )
    lines = [
        f"# Political Records: bulk download of {on.isoformat()}",
        "",
        "Every record here is cited to the exact words of a source. The files:",
        "",
        "- `popolo.json`: people, organizations, memberships, posts, areas and events in the Popolo format",
        "  (https://www.popoloproject.com/), each with its sources and quotes.",
        "- `<resource>.csv`: one file per list of the API, one row per record, the same columns as",
        "  `GET /api/v1/<resource>/?format=csv`. A text cell that begins with `=`, `+`, `-`, `@`, a tab or a",
        "  carriage return starts with a single quote, so that a spreadsheet shows it rather than runs it as a",
        "  formula; numbers and dates are written as they are.",
        f"- `{CHECKSUMS}`: the SHA-256 of every file (`sha256sum -c {CHECKSUMS}`).",
        f"- `{MANIFEST}`: the same, as JSON, with sizes and record counts.",
        "",
        "## Sources and their licenses",
        "",
        "The records quote these sources. A dataset's license applies to what is derived from it; a news",
        "article's words are quoted for citation only, and its license is given where the source states one.",
        "",
        "| source | kind | published | publisher | license | address |",
        "|---|---|---|---|---|---|",
    ]
    for source in sources:
        cells = [
            f"{source.title or source.slug} (`{source.slug}`)",
            source.get_kind_display(),
            source.published_on.isoformat() if source.published_on else "not stated",
            source.publisher or "not stated",
            source.license or "not stated",
            source.url or "none recorded",
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _write_checksums(folder: Path, files: list[PublishedFile]) -> None:
    text = "".join(f"{f.sha256}  {f.name}\n" for f in files)
    (folder / CHECKSUMS).write_text(text, encoding="utf-8")


def _write_json(path: Path, value: dict) -> None:
    """Written beside ``path`` and renamed over it: readers see the old file or the new one."""
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _swap_into_place(partial: Path, target: Path) -> None:
    if not target.exists():
        os.rename(partial, target)
        return
    # Replacing a release: the old one is moved aside first, and removed once the new one is in place.
    retired = target.with_name(f".{target.name}.retired")
    shutil.rmtree(retired, ignore_errors=True)
    os.rename(target, retired)
    os.rename(partial, target)
    shutil.rmtree(retired, ignore_errors=True)


def _point_latest(folder: Path, name: str) -> None:
    link = folder / LATEST_LINK
    if link.exists() and not link.is_symlink():
        raise PublishFailed(f"{link} exists and is not a symlink: the latest release is named in {LATEST_MANIFEST}.")
    temporary = folder / f".{LATEST_LINK}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    os.symlink(name, temporary)
    os.replace(temporary, link)
