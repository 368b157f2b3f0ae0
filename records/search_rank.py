"""The order of a search's results: best match first, by a score computed in
SQL (an annotation), so that keyset pages follow it like any other order.

A name's score is ``tier * 1000 + length``, lower is better:

====  ==========================================================================
tier  the name...
====  ==========================================================================
0     is the text (normalised); for organisations and parties, or the abbreviation is
1     has the text's spelling key, or has it with the spaces removed ("Aseem Arun" and Asim Arun;
      "Muzaffarnagar" and Muzaffar Nagar)
2     begins with the text's spelling key, words in their order ("samajvadi": Samajwadi Party)
3     has each word of the text at the start of one of its words, in any order ("Arun Asim")
4     contains the text elsewhere (inside a word)
5     has it written joined or split ("Harishankar": Hari Shankar Tiwari)
6     sounds like it: a word matches only by its consonants ("Dohrey": Anil Kumar Dohare)
====  ==========================================================================

``length`` is the length of the name's spelling key (999 at most): within a
tier a shorter name holds more of what was asked, as trigram similarity would
rank it, and it is computed alike on SQLite and PostgreSQL. A record's score
is the best of its name's and its other names' (alias rows, a place's
other names). Ties go by the list's usual order, then id: deterministic.
"""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Least

from records.search import NAME, SEARCHED, SearchText
from records.search_sql import UNMATCHED, NameScore

RANK = "search_rank"  # the annotation a ranked search adds, and the key its order starts with

RANK_HELP = (
    "Without `ordering`, results come best match first: the name (or another name) is the text, then has its "
    "spelling (spaces aside), then begins with it, then has each of its words at the start of a word, then "
    "contains it, then has it written joined or split, then sounds like it; within each, shorter names first, "
    "then the usual order."
)


def _best(expressions: list):
    return expressions[0] if len(expressions) == 1 else Least(*expressions, output_field=IntegerField())


def record_score(model, value: str, *, aliases=None, also_exact: Q | None = None):
    """The best score of a record of ``model`` for ``value``: of its names on the
    row and, with ``aliases=(alias model, its foreign key to model)``, of its
    alias rows (one correlated subquery, part of the page's query)."""
    text = SearchText.of(value)
    scores = [
        NameScore(text, columns, also_exact if columns is NAME else None) for columns in SEARCHED[model._meta.db_table]
    ]
    if aliases is not None:
        alias_model, fk = aliases
        best_alias = (
            alias_model.objects.filter(**{fk: OuterRef("pk")})
            .annotate(score=NameScore(text, NAME))
            .order_by("score")
            .values("score")[:1]
        )
        scores.append(Coalesce(Subquery(best_alias, output_field=IntegerField()), Value(UNMATCHED)))
    return _best(scores)


def ranked(queryset, value: str, *, aliases=None, also_exact: Q | None = None):
    """``queryset`` with its ``RANK`` annotation; the list's ordering filter puts
    it first when no ordering is asked for (records/api/filtering.py)."""
    score = record_score(queryset.model, value, aliases=aliases, also_exact=also_exact)
    return queryset.annotate(**{RANK: score})
