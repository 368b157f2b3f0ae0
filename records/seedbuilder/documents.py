"""Seed documents: their verbatim text, publication date, and quote lookup."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from records.seedbuilder.annotations import Mapping

HEADER = re.compile(r"^ date (\d{4}-\d{2}-\d{2}) ")


@dataclass
class Problem:
    """One reason the build cannot go on: the file, the claim, the reason."""

    file: str
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.reason}" if self.where else f"{self.file}: {self.reason}"


class BuildFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class SeedDocument:
    slug: str
    text_path: Path
    annotation_path: Path
    text: str
    sha256: str
    published_on: date
    annotation: Mapping = field(default_factory=Mapping)
    folder: str = "seeds"  # how problems name the files' folder

    @property
    def annotation_name(self) -> str:
        return f"{self.folder}/{self.annotation_path.name}"

    def locate(self, quote: str, occurrence: int = 1) -> tuple[int, int] | str:
        """Offsets of the ``occurrence``-th match of ``quote``, or why there is none."""
        if not quote:
            return "the quote is empty"
        start = -1
        for _ in range(occurrence):
            start = self.text.find(quote, start + 1)
            if start < 0:
                break
        if start >= 0:
            return start, start + len(quote)
        count = self.text.count(quote)
        if count:
            return f"the quote occurs {count} time(s), not {occurrence}: {quote!r}"
        return f"the quote does not occur verbatim in the source{self._near_miss(quote)}: {quote!r}"

    def _near_miss(self, quote: str) -> str:
        def loose(text: str) -> str:
            text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
            return " ".join(text.lower().split())

        if loose(quote) in loose(self.text):
            return " (it differs only in case, spacing or quotation marks)"
        return ""


def read_document(
    text_path: Path, annotation_path: Path | None = None, folder: str = "seeds"
) -> SeedDocument | Problem:
    """The document at ``text_path``; its annotation beside it unless given."""
    name = f"{folder}/{text_path.name}"
    raw = text_path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Problem(name, "", "the document is not UTF-8 text")
    header = HEADER.match(text)
    if not header:
        return Problem(name, "", "the document must start with ' date YYYY-MM-DD ' (its publication date)")
    try:
        published_on = date.fromisoformat(header.group(1))
    except ValueError:
        return Problem(name, "", f"the publication date {header.group(1)!r} does not exist")
    return SeedDocument(
        slug=text_path.stem,
        text_path=text_path,
        annotation_path=annotation_path or text_path.with_suffix(".yaml"),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        published_on=published_on,
        folder=folder,
    )
