"""A document's stored text: HTML reduced to text, UTF-8 only, the date header
(records/document_text.py)."""

from __future__ import annotations

from datetime import date

import pytest

from records.document_text import NotUtf8, decode_utf8, html_to_text, stored_text

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Site | Asim Arun</title>
<style>p { color: red }</style><script>var tracking = "A native of";</script></head>
<body>
<nav><a href="/">Home</a> | <a href="/politics">Politics</a></nav>
<header><h1>IPS officer Asim&nbsp;Arun seeks&nbsp;VRS</h1></header>
<article>
  <p class="byline">By <b>Staff&nbsp;Reporter</b><br>Lucknow, January&nbsp;10</p>
  <p>A 1994-batch IPS officer <a href="/t/asim-arun"><strong>Asim</strong> Arun</a> (51) on
     Saturday said he was &ldquo;proud&rdquo; &amp; thankful.</p>
  <!-- an editor's note that is not part of the article -->
  <p>“The IPS job and now this honour was only possible due to the system crafted by Babasaheb Ambedkar for
     &lsquo;equality of opportunity&rsquo;,” Arun said &mdash; he is Kanpur&#39;s first commissioner.</p>
  <ul><li>Agra</li><li>Aligarh &amp; Hathras</li></ul>
  <div><span>Nested <em>inline <i>tags</i></em></span> stay in one paragraph.</div>
</article>
<aside>Read more: an unrelated story</aside>
<footer>© The Newspaper. All rights reserved.</footer>
</body></html>"""


def test_an_article_page_becomes_its_paragraphs():
    assert html_to_text(ARTICLE) == (
        "IPS officer Asim Arun seeks VRS\n\n"
        "By Staff Reporter\nLucknow, January 10\n\n"
        "A 1994-batch IPS officer Asim Arun (51) on Saturday said he was “proud” & thankful.\n\n"
        "“The IPS job and now this honour was only possible due to the system crafted by Babasaheb Ambedkar for "
        "\u2018equality of opportunity\u2019,” Arun said — he is Kanpur's first commissioner.\n\n"
        "Agra\n\nAligarh & Hathras\n\n"
        "Nested inline tags stay in one paragraph."
    )


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("plain words", "plain words"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>  spaced \n\t out\u00a0 words  </p>", "spaced out words"),
        ("<p>line<br/>break<br><br>twice</p>", "line\nbreak\ntwice"),
        ("<p>a<b>b</b>c</p>", "abc"),  # inline tags join what touches
        ("<p>caf&eacute; &lt;tag&gt; &#8220;q&#8221;</p>", "café <tag> “q”"),
        ("<script>alert(1)</script><p>kept</p><style>x{}</style>", "kept"),
        ("<p>unclosed<p>paragraphs", "unclosed\n\nparagraphs"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a\n\nb"),
        ("", ""),
    ],
)
def test_html_reduction_rules(html, text):
    assert html_to_text(html) == text


def test_only_utf8_is_accepted_and_a_byte_order_mark_is_dropped():
    assert decode_utf8("\ufeffcafé".encode()) == "café"
    with pytest.raises(NotUtf8, match=r"byte 3 is 0xe9"):
        decode_utf8("café".encode("latin-1"))


def test_the_stored_text_starts_with_the_seed_documents_date_header():
    assert stored_text("Arun said.\r\nMore.\r", date(2022, 1, 17)) == " date 2022-01-17 Arun said.\nMore.\n"
    seed_style = " date 2022-01-17 Arun said."
    assert stored_text(seed_style, date(2022, 1, 17)) == seed_style  # pasted whole: not doubled
    with pytest.raises(ValueError, match="2022-01-10, not the publication date 2022-01-17"):
        stored_text(" date 2022-01-10 Arun said.", date(2022, 1, 17))
