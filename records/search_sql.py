"""The name rule of records/search.py and the score of records/search_rank.py
as SQL expressions written directly: a ``Q`` tree of their few dozen lookups
(each word: two LIKEs for its spelling, four for its sound, three inside the
joined key; then the score's
tiers, for the name and again for the aliases) cost about 30 ms a request to
build, resolve and compile, ten times the query itself. The columns are
resolved as any ``F()`` is (joins and aliases included); the conditions are
plain ``LIKE`` on the columns, which pg_trgm indexes serve."""

from __future__ import annotations

from django.db.models import BooleanField, Expression, F, IntegerField

from records.fields import NAME_LIST_SEPARATOR

TRIGRAM = 3  # the shortest text a trigram index looks up
TIER = 1000
LONGEST = TIER - 1  # a name's length counts up to here, so a tier is never overtaken
UNMATCHED = 99 * TIER  # a name the text does not find (an alias of a record found by another name)


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _NameSQL(Expression):
    """An expression over one name's four search columns (``NameColumns``),
    for the text of ``SearchText``; ``extra`` is a condition that counts as
    an exact match (an organisation's abbreviation)."""

    def __init__(self, text, columns, extra=None):
        super().__init__()
        self.text, self.columns = text, columns
        self.sources = [F(column) for column in columns.all] + ([extra] if extra is not None else [])

    def get_source_expressions(self):
        return self.sources

    def set_source_expressions(self, exprs):
        self.sources = list(exprs)

    def _compile(self, compiler, connection):
        compiled = [compiler.compile(source) for source in self.sources]
        self.escape = " ESCAPE '\\'" if connection.vendor == "sqlite" else ""
        return compiled

    # -- conditions: (sql, params) -----------------------------------------------

    def like(self, column: str, pattern: str, params: list) -> str:
        params.append(pattern)
        return f"{column} LIKE %s{self.escape}"

    def contains(self, column: str, value: str, params: list) -> str:
        return self.like(column, f"%{_escaped(value)}%", params)

    def begins_a_word(self, column: str, word: str, params: list) -> str:
        start = self.like(column, f"{_escaped(word)}%", params)
        return f"({start} OR {self.contains(column, f' {word}', params)})"

    def holds(self, column: str, value: str, separator: str, params: list) -> str:
        """``value`` is one of the column's items, ``separator`` between them."""
        params.append(value)
        first = self.like(column, f"{_escaped(value + separator)}%", params)
        last = self.like(column, f"%{_escaped(separator + value)}", params)
        inside = self.contains(column, f"{separator}{value}{separator}", params)
        return f"({column} = %s OR {first} OR {last} OR {inside})"

    def inside_joined(self, key: str, joined: str, value: str, params: list) -> str:
        """``value`` is inside the joined key, and its first three letters begin a
        word of the key: where a name's word begins, not across one ("ram" is in
        "hiramani", but no word of "hira mani" begins with it)."""
        inside = self.contains(joined, value, params)
        return f"({inside} AND {self.begins_a_word(key, value[:TRIGRAM], params)})"

    def match(self, columns: list[str], params: list, sounds: bool = True) -> str:
        """The name contains the text, or each word begins a word of the key, has a
        word's sound (unless ``sounds`` is false) or is inside the joined key, or
        the text without spaces is inside the joined key."""
        name, key, sound, joined = columns
        text = self.text
        condition = self.contains(name, text.needle, params)
        if not text.words:
            return f"({condition})"
        each = []
        for word, word_sound, in_joined in zip(text.words, text.sounds, text.joined_words(), strict=True):
            # A word that begins a word of the key is inside the joined key where a word begins:
            # for a word of four letters or more, that one condition serves both (three LIKEs, not five).
            if in_joined:
                alike = [self.inside_joined(key, joined, word, params)]
            else:
                alike = [self.begins_a_word(key, word, params)]
            if sounds and word_sound is not None:
                alike.append(self.holds(sound, word_sound, " ", params))
            each.append(alike[0] if len(alike) == 1 else f"({' OR '.join(alike)})")
        condition += f" OR ({' AND '.join(each)})"
        if text.joins_words():
            condition += f" OR {self.inside_joined(key, joined, text.joined, params)}"
        return f"({condition})"


class NameMatch(_NameSQL):
    """The name rule as a WHERE condition (``queryset.filter(NameMatch(...))``)."""

    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        columns = [sql for sql, _ in self._compile(compiler, connection)[:4]]
        params: list = []
        return self.match(columns, params), params


class NameScore(_NameSQL):
    """The score of records/search_rank.py for one name: ``tier * 1000`` plus
    the length of the name's spelling key (999 at most), ``UNMATCHED`` when the
    name does not match."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection):
        compiled = self._compile(compiler, connection)
        columns = [sql for sql, _ in compiled[:4]]
        name, key, _, joined = columns
        text, params, tiers = self.text, [], []
        is_list = self.columns.is_list
        if len(compiled) > 4:
            extra_sql, extra_params = compiled[4]
            tiers.append((extra_sql, list(extra_params), 0))

        def tier(build, number):
            own: list = []
            tiers.append((build(own), own, number))

        same = (
            (lambda column, value, p: self.holds(column, value, NAME_LIST_SEPARATOR, p))
            if is_list
            else (lambda column, value, p: (p.append(value), f"{column} = %s")[1])
        )
        tier(lambda p: same(name, text.needle, p), 0)
        if text.words:
            # The same spelling, spaces aside: "Muzaffarnagar" is Muzaffar Nagar.
            tier(lambda p: f"({same(key, text.key, p)} OR {same(joined, text.joined, p)})", 1)

            def begins(p):
                start = self.like(key, f"{_escaped(text.key)}%", p)
                if is_list:
                    start = f"({start} OR {self.contains(key, NAME_LIST_SEPARATOR + text.key, p)})"
                return start

            tier(begins, 2)
            tier(lambda p: " AND ".join(self.begins_a_word(key, word, p) for word in text.words), 3)
        tier(lambda p: self.contains(name, text.needle, p), 4)
        if text.joins_words() or any(text.joined_words()):
            tier(lambda p: self.match(columns, p, sounds=False), 5)
        tier(lambda p: self.match(columns, p), 6)
        cases = []
        for sql, own, number in tiers:
            cases.append(f"WHEN {sql} THEN {number * TIER}")
            params += own
        length = f"(CASE WHEN LENGTH({key}) < {LONGEST} THEN LENGTH({key}) ELSE {LONGEST} END)"
        return f"COALESCE((CASE {' '.join(cases)} END) + {length}, {UNMATCHED})", params
