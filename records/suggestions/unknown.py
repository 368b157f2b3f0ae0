"""Capitalised names no known record bears: possible new people or organisations.

A run of capitalised words (with "of", "and", "the", "for" inside an
organisation's name) that no known mention or date covers is split at words
that are not names (months, weekdays, communities...), stripped of titles,
and classified:

- an organisation when a word of it is an organisation word ("Party",
  "Police", "Commission", "Ministry"...);
- a person after a title ("Mr", "Shri", "IPS officer"...) or when it is two
  to four capitalised words. Before it is called new, the identity matcher
  (records/identity/names.py) compares it with the people a name search finds:
  a spelling variant of a known person's name ("Akhilesh Yadava") is that person.
- a title and a single word that is a name of a person the text names
  ("Mr Arun" after "Asim Arun") is that person.

Not suggested: a single capitalised word with no title (a sentence's first
word, "Facebook", "Covid": too often not a name), acronyms alone, and titles
alone ("Chief Minister", "District Police Chief", "Director General of Police").
"""

from __future__ import annotations

from records.identity.names import compare_names
from records.models import Organisation, OrganisationAlias, Person, PersonAlias
from records.search import SearchText, indexed_name_search
from records.suggestions.tokens import STOPWORDS, Token, joins_a_name, sentence_initial, words
from records.suggestions.types import Kind, RecordRef, Suggestion
from records.text import HONORIFICS, SOUND_MIN, normalise_name, sound_key

# People looked at per name when checking for a spelling variant (a name search's best are enough).
VARIANT_LOOKUP_LIMIT = 100
SCORE_VARIANT = 0.8
SCORE_SAME_WORDS = 0.75
SCORE_NAMED_IN_TEXT = 0.7
SCORE_SOUNDS_ALIKE = 0.7
_NAME_EVIDENCE_SCORES = {"spelling variant": SCORE_VARIANT, "same words in another order": SCORE_SAME_WORDS}

TITLES = HONORIFICS | frozenset({"shrimati", "kumari", "km", "sushri", "smt", "begum", "maulana", "pandit", "thakur"})
# Words of offices and ranks: before a name they say it is a person's; alone they are a title.
ROLE_WORDS = words(
    """chief minister prime deputy commissioner officer director general additional inspector superintendent
    president secretary chairman chairperson spokesperson leader governor mayor judge justice minister's
    mp mla mlc ips ias ips ifs dgp adg adgp sp ssp dsp dig ig igp dm sdm cm pm senior former ex late district
    joint assistant head member candidate collector speaker"""
)
ORGANISATION_WORDS = words(
    """party police commission ministry department sabha parishad dal sena congress front league morcha union
    council court bank group team squad force forces service services guard bureau agency committee board
    corporation university college assembly samaj manch mahasabha sangh trust foundation society association
    federation organisation organization institute authority directorate cell unit branch office army navy
    government administration company limited ltd tribunal"""
)
# Capitalised words that are not names of people or organisations.
NOT_NAMES = words(
    """january february march april may june july august september october november december monday tuesday
    wednesday thursday friday saturday sunday dalit dalits muslim muslims hindu hindus sikh christian
    scheduled castes caste tribes tribe backward classes covid english hindi urdu facebook twitter
    instagram whatsapp youtube state centre"""
)
_CONNECTORS = frozenset({"of", "and", "the", "for"})
# Words that begin sentences, capitalised there only (beyond tokens.STOPWORDS).
SENTENCE_STARTERS = words(
    """then so now later earlier meanwhile however yet still since though although if once today yesterday
    tomorrow minutes hours days weeks months years last next this every many some most all both each"""
)


def unknown_names(
    text: str, tokens: list[Token], covered: list[tuple[int, int]], named: list[Suggestion]
) -> list[Suggestion]:
    """Suggestions for the capitalised runs outside ``covered`` spans; ``named``:
    the people the text names, for a title followed by one of their names."""
    free = [not any(t.start < b and a < t.end for a, b in covered) for t in tokens]
    out = []
    for run in _runs(text, tokens, free):
        for part in _split_at_titles(tokens, run):
            suggestion = _classify(text, tokens, part, named)
            if suggestion is not None:
                out.append(suggestion)
    return out


def _split_at_titles(tokens: list[Token], run: list[int]) -> list[list[int]]:
    """ "Rajya Sabha MP Brij Lal" is a body and a person: a title inside a run
    begins the next name (and stays with it, as its title)."""
    parts: list[list[int]] = [[]]
    for index in run:
        is_title = tokens[index].norm in TITLES | ROLE_WORDS
        if is_title and parts[-1] and tokens[parts[-1][-1]].norm not in TITLES | ROLE_WORDS:
            parts.append([])
        parts[-1].append(index)
    return [part for part in parts if part]


def _is_name_word(token: Token) -> bool:
    return token.capitalised and token.norm not in NOT_NAMES


def _runs(text: str, tokens: list[Token], free: list[bool]):
    """Index lists of capitalised runs, connectors kept only between capitalised words."""
    run: list[int] = []
    for index, token in enumerate(tokens):
        goes_on = run and free[index] and _continues(text, tokens[run[-1]], token)
        if goes_on and (_is_name_word(token) or (token.norm in _CONNECTORS and not token.capitalised)):
            run.append(index)
            continue
        if run:
            yield _trimmed(tokens, run)
        run = [index] if free[index] and _is_name_word(token) else []
    if run:
        yield _trimmed(tokens, run)


def _continues(text: str, left: Token, right: Token) -> bool:
    """Whether ``right`` goes on the name ``left`` is in; a full stop only after an initial or a title."""
    if text[left.end : left.end + 1] == "." and not (len(left.text) == 1 or left.norm in TITLES):
        return False
    return joins_a_name(text, left, right)


def _trimmed(tokens: list[Token], run: list[int]) -> list[int]:
    """Without connectors at the end, and cut at the first connector unless an
    organisation word is in it ("Ministry of Home Affairs", "Communist Party of India")."""
    while run and tokens[run[-1]].norm in _CONNECTORS:
        run = run[:-1]
    connectors = [k for k, i in enumerate(run) if tokens[i].norm in _CONNECTORS]
    if connectors and not any(tokens[i].norm in ORGANISATION_WORDS for i in run):
        run = run[: connectors[0]]
    return run


def _classify(text: str, tokens: list[Token], run: list[int], named: list[Suggestion]) -> Suggestion | None:
    if not run:
        return None
    words = [tokens[i] for i in run]
    norms = [w.norm for w in words]
    # A capitalised function word begins a sentence ("The", "Then"); titles go
    # before a name ("Chief Minister"), connectors after a title ("Chief of").
    at_sentence_start = sentence_initial(text, words[0])
    titles: list[str] = []
    title_of = False  # "Director General of Police": a title, not a body
    while words:
        if norms[0] in TITLES | ROLE_WORDS:
            titles.append(words[0].text)
        elif norms[0] in _CONNECTORS and titles:
            title_of = True
        elif not (norms[0] in _CONNECTORS or (at_sentence_start and norms[0] in STOPWORDS | SENTENCE_STARTERS)):
            break
        words, norms = words[1:], norms[1:]
    while words and norms[-1] in _CONNECTORS:
        words, norms = words[:-1], norms[:-1]
    if not words:
        return None
    organisation_word = next((w.text for w in words if w.norm in ORGANISATION_WORDS), None)
    start, end = words[0].start, words[-1].end
    surface = text[start:end]
    if organisation_word:
        if norms[-1] in ROLE_WORDS or title_of:
            return None  # "District Police Chief", "Director General of Police": titles
        if len(words) == 1 and words[0].norm == organisation_word.lower():
            return None  # "Police", "Assembly" alone
        known = sound_alikes(surface)
        if known:
            return Suggestion(
                known[0].kind, start, end, surface, f"known name ({known[0].how})",
                record=known[0], candidates=tuple(known[:10]),
            )  # fmt: skip
        return Suggestion(Kind.NEW_ORGANISATION, start, end, surface, f"organisation word: {organisation_word}")
    if any(w.upper for w in words) or norms[-1] in ROLE_WORDS:
        return None  # acronyms ("VRS"), titles
    if len(words) == 1:
        people = _named_in_text(words[0], named) if titles else []
        if people:
            return Suggestion(
                Kind.PERSON, start, end, surface, f"after a title: {titles[-1]}, a name of a person named in the text",
                record=people[0], candidates=tuple(people),
            )  # fmt: skip
        if not titles or sentence_initial(text, words[0]):
            return None
        return Suggestion(Kind.NEW_PERSON, start, end, surface, f"after a title: {titles[-1]}")
    if len(words) > 4:
        return None
    variants = spelling_variants(surface)
    if variants:
        return Suggestion(
            Kind.PERSON, start, end, surface, f"known name ({variants[0].how})",
            record=variants[0], candidates=tuple(variants[:10]),
        )  # fmt: skip
    rule = f"after a title: {titles[-1]}" if titles else "capitalised words"
    return Suggestion(Kind.NEW_PERSON, start, end, surface, rule)


def _named_in_text(word: Token, named: list[Suggestion]) -> list[RecordRef]:
    """The people the text names who bear ``word`` as a name word (several: ambiguous)."""
    people = {}
    for suggestion in named:
        record = suggestion.record
        if suggestion.kind == Kind.PERSON and record and word.norm in normalise_name(record.name).split():
            people[record.pk] = RecordRef(
                record.model, record.pk, record.slug, record.name, Kind.PERSON, SCORE_NAMED_IN_TEXT,
                record.name, "a name of a person named in the text",
            )  # fmt: skip
    return sorted(people.values(), key=lambda r: r.pk)


def spelling_variants(name: str) -> list[RecordRef]:
    """Known people whose name (or other name) the identity matcher finds the
    same but for spelling or word order; best first. Only names whose every
    word has three letters: a shorter one has no trigram to look up by, and
    would read the whole table."""
    if not SearchText.of(name).has_trigrams():
        return []
    best: dict[int, RecordRef] = {}
    sources = (
        (Person, ("id", "slug", "name", "name")),
        (PersonAlias, ("person_id", "person__slug", "person__name", "name")),
    )
    for model, (pk, slug, shown, compared) in sources:
        rows = (
            model.objects.filter(indexed_name_search(model, name))
            .order_by(pk)
            .values(*dict.fromkeys((pk, slug, shown, compared)))
        )
        for row in rows[:VARIANT_LOOKUP_LIMIT]:
            evidence = compare_names(name, row[compared])
            score = max((_NAME_EVIDENCE_SCORES.get(piece.name, 0.0) for piece in evidence), default=0.0)
            if not score or any(piece.weight < 0 for piece in evidence):
                continue
            how = next(p for p in evidence if p.name in _NAME_EVIDENCE_SCORES)
            ref = RecordRef("records.Person", row[pk], row[slug], row[shown], Kind.PERSON, score, row[compared],
                            f"{how.name}: {how.detail}")  # fmt: skip
            if row[pk] not in best or best[row[pk]].score < score:
                best[row[pk]] = ref
    return sorted(best.values(), key=lambda r: (-r.score, r.pk))


def sound_alikes(name: str) -> list[RecordRef]:
    """Known organisations one of whose names sounds the same, word by word
    (records.text.sound_key: vowels written, dropped or swapped, "Janta" for
    "Janata"); best first."""
    wanted = sound_key(name)
    if len(wanted.replace(" ", "")) < 2 * SOUND_MIN or not SearchText.of(name).has_trigrams():
        return []  # too short to tell names apart by their consonants, or to look up by trigrams
    found: dict[int, RecordRef] = {}
    sources = (
        (Organisation, ("id", "slug", "name", "kind", "name")),
        (
            OrganisationAlias,
            ("organisation_id", "organisation__slug", "organisation__name", "organisation__kind", "name"),
        ),
    )
    for model, (pk, slug, shown, kind, compared) in sources:
        columns = dict.fromkeys((pk, slug, shown, kind, compared))
        rows = model.objects.filter(indexed_name_search(model, name)).order_by(pk).values(*columns)
        for row in rows[:VARIANT_LOOKUP_LIMIT]:
            if sound_key(row[compared]) == wanted and row[pk] not in found:
                found[row[pk]] = RecordRef(
                    "records.Organisation", row[pk], row[slug], row[shown],
                    Kind.PARTY if row[kind] == Organisation.Kind.PARTY else Kind.ORGANISATION,
                    SCORE_SOUNDS_ALIKE, row[compared], f"sounds like {row[compared]}",
                )  # fmt: skip
    return sorted(found.values(), key=lambda r: r.pk)
