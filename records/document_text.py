"""A document's stored text, from what a curator pastes or uploads.

The stored text is what every quote is checked against, byte for byte, so
these rules decide what a quote may say:

- **Encoding**: UTF-8 only (a leading byte-order mark is dropped); anything
  else is refused, never guessed at.
- **Lines**: CRLF and CR line ends become LF (a browser sends a textarea's
  lines with CRLF).
- **HTML** is reduced to text (``html_to_text``), with Python's html.parser
  through Beautiful Soup: scripts, styles, the head, navigation, asides and
  footers are dropped; each block (paragraph, heading, list item, table row,
  quotation...) becomes a paragraph, paragraphs are separated by one blank
  line; inside a paragraph every run of whitespace (non-breaking spaces
  included) becomes one space, and a ``<br>`` starts a new line. Entities are
  decoded (``&amp;`` is ``&``, ``&rsquo;`` is a curly quote) and curly quotes
  and dashes are kept as they are.
- **The date header**: like the seed documents (seeds/README.md), the stored
  text starts with `` date YYYY-MM-DD `` (the publication date), so a stored
  document can be written to a file and recorded by ``ingest_document`` or
  the seed builder as it is, and its sha256 is that file's. Offsets count
  from the start of the header.
"""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from records.seedbuilder.documents import HEADER

# Elements whose content is not the document's text.
DROPPED = {
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "iframe",
    "object",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "textarea",
}
# Elements that begin and end a paragraph.
BLOCKS = {
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
SPACES = re.compile(r"\s+")


class NotUtf8(ValueError):
    pass


def decode_utf8(raw: bytes) -> str:
    """``raw`` as UTF-8 text without a byte-order mark; ``NotUtf8`` says where it is not."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise NotUtf8(
            f"The file is not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x}). "
            "Save it as UTF-8 and upload it again."
        ) from None


def normalise_line_ends(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str) -> str:
    """The text of an HTML document, by the rules of this module's docstring."""
    paragraphs: list[str] = []
    lines: list[str] = [""]

    def end_paragraph() -> None:
        kept = [line for line in (SPACES.sub(" ", line).strip() for line in lines) if line]
        if kept:
            paragraphs.append("\n".join(kept))
        lines[:] = [""]

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA, processing instructions
                continue
            if isinstance(child, NavigableString):
                lines[-1] += str(child)
            elif child.name in DROPPED:
                continue
            elif child.name == "br":
                lines.append("")
            elif child.name in BLOCKS:
                end_paragraph()
                walk(child)
                end_paragraph()
            else:
                walk(child)

    walk(BeautifulSoup(html, "html.parser"))
    end_paragraph()
    return "\n\n".join(paragraphs)


def looks_like_html(name: str, text: str) -> bool:
    start = text.lstrip()[:15].lower()
    return name.lower().endswith((".html", ".htm")) or start.startswith(("<!doctype html", "<html"))


def stored_text(body: str, published_on: date) -> str:
    """The text to store: the date header, then ``body`` (LF line ends).

    A body that already starts with a header (a seed file pasted whole) keeps
    it when its date is ``published_on``; another date is a ``ValueError``."""
    body = normalise_line_ends(body)
    header = f" date {published_on.isoformat()} "
    found = HEADER.match(body)
    if found:
        if found.group(1) != published_on.isoformat():
            raise ValueError(
                f"The text starts with the date header of {found.group(1)}, not the publication date "
                f"{published_on.isoformat()}: correct one of them."
            )
        return body
    return header + body
