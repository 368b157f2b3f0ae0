"""How far two spellings of a name agree, as evidence a curator can read.

Names are compared word by word on their spelling keys (records.text:
titles and initials dropped, romanisations of one sound merged), so
"Aseem Arun" and "ASIM ARUN" are the same name. Beyond that, the forms the
datasets use for one person:
- another word order ("Arun Asim");
- a word spelt differently ("Upadhyay"/"Upadhyaya", "Varma"/"Verma",
  "Khadakvanshi"/"Khargvanshi") or cut short ("Banwari Lal Doha");
- words run together ("Omkumar"/"Om Kumar", "Rajkaran"/"Raj Karan Kabir");
- one name within the other ("Kailash Nath"/"Kailash Nath Shukla");
- "X urf Y", "X alias Y": either name alone;
- initials that fit the other name's words ("D.C. Verma").
Words every other name carries (Singh, Kumar, Devi...) count half: two
people sharing "Kumar" share little.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from records.identity.evidence import Evidence
from records.text import normalise_name, spelling_key

# "Rajeev Singh urf Babbu Bhaiya": two names of one person.
ALIAS_MARKERS = frozenset({"urf", "alias", "alis", "aka", "urph"})
# Titles the results datasets prefix beyond those records.text drops ("Chau." for Chaudhary, "Km." for Kumari),
# and "Yogi", a monk's title the press puts before a name ("Yogi Adityanath", who stands as ADITYANATH).
TITLES = frozenset({"chau", "ch", "km", "kum", "engg", "col", "capt", "yogi"})
# Words so many names carry that sharing one says little (as spelling keys).
COMMON = frozenset(
    spelling_key(w)
    for w in [
        "singh",
        "kumar",
        "kumari",
        "devi",
        "lal",
        "prasad",
        "chand",
        "chandra",
        "nath",
        "bai",
        "ram",
        "babu",
        "bahadur",
        "mohd",
        "mohammad",
        "md",
    ]
)
_NOT_SKELETON = re.compile(r"[aeiouy]")
# The names of the evidence this module gives (the matcher weighs names apart from the rest).
NAME_EVIDENCE = frozenset(
    {
        "same name",
        "same words in another order",
        "spelling variant",
        "one name within the other",
        "only a name in common",
        "partly the same name",
        "one word in common",
        "initials agree",
        "initials fit",
        "initials differ",
        "given names differ",
    }
)


@dataclass(frozen=True)
class NameForm:
    text: str  # as the source writes it (or the part of it before/after "urf")
    words: tuple[str, ...]  # spelling keys of its words of two or more letters
    initials: tuple[str, ...]  # its one-letter words


@functools.lru_cache(maxsize=65536)
def name_forms(name: str) -> tuple[NameForm, ...]:
    """The name, and each side of an "urf"/"alias" in it."""
    words = normalise_name(name).split()
    parts, current = [], []
    for word in words:
        if word in ALIAS_MARKERS:
            parts.append(current)
            current = []
        else:
            current.append(word)
    parts.append(current)
    forms = [_form(" ".join(w for w in words if w not in ALIAS_MARKERS), shown=" ".join(name.split()))]
    if len(parts) > 1:
        forms += [_form(" ".join(part)) for part in parts if part]
    return tuple(form for form in forms if form.words)


def _form(text: str, shown: str = "") -> NameForm:
    plain = [w for w in text.split() if w not in TITLES]
    words = tuple(w for w in spelling_key(" ".join(plain)).split() if w not in TITLES)
    initials = tuple(w for w in plain if len(w) == 1)
    return NameForm(text=shown or text, words=words, initials=initials)


def blocking_keys(name: str) -> set[str]:
    """Keys under which an index files a name: two names that share none cannot
    agree beyond a common word (a word, its consonants, its first four letters,
    two words run together)."""
    keys = set()
    for form in name_forms(name):
        rare = [w for w in form.words if w not in COMMON] or list(form.words)
        for word in rare:
            keys |= {word, f"~{skeleton(word)}"}
            if len(word) >= 4:
                keys.add(f"^{word[:4]}")
        for first, second in zip(form.words, form.words[1:], strict=False):
            keys.add(first + second)
    return keys


def skeleton(word: str) -> str:
    """The word's consonants, doubled ones once: "sankar"/"sanker", "ajay"/"ajai"."""
    consonants = _NOT_SKELETON.sub("", word)
    return re.sub(r"(.)\1+", r"\1", consonants) or word


def word_likeness(a: str, b: str) -> float:
    """1 for the same word; 0.8 for another spelling of it or one cut short; else 0."""
    if a == b:
        return 1.0
    if a[0] != b[0]:
        return 0.0
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return 0.8  # "Doha" for "Dohare", "Upadhyay" for "Upadhyaya"
    if skeleton(a) == skeleton(b) and len(skeleton(a)) >= 1:
        return 0.8  # vowels only: "Verma"/"Varma", "Rathaur"/"Rathore"
    if min(len(a), len(b)) >= 7 and SequenceMatcher(None, a, b).ratio() >= 0.75:
        return 0.8  # long words a letter or two apart: "Khadakvanshi"/"Khargvanshi"
    return 0.0


def _split_joined(words: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` with any word that is two adjacent words of ``other`` run together split into them."""
    pairs = {a + b: (a, b) for a, b in itertools.pairwise(other)}
    out: list[str] = []
    for word in words:
        out += pairs[word] if word not in other and word in pairs else [word]
    return tuple(out)


def _weight(word: str) -> float:
    return 0.5 if word in COMMON else 1.0


def compare_forms(given: NameForm, known: NameForm) -> list[Evidence]:
    """The evidence two forms of names give; [] when they share nothing that counts."""
    a, b = _split_joined(given.words, known.words), _split_joined(known.words, given.words)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    used: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for i, word in enumerate(short):
        best, best_j = 0.0, None
        for j, other in enumerate(long):
            if j not in used:
                likeness = word_likeness(word, other)
                if likeness > best:
                    best, best_j = likeness, j
        if best_j is not None:
            used.add(best_j)
            pairs.append((i, best_j, best))
    shared = sum(_weight(short[i]) for i, _, _ in pairs)
    covered = len(pairs) == len(short)
    exact = all(likeness == 1.0 for _, _, likeness in pairs)
    in_order = [j for _, j, _ in pairs] == sorted(j for _, j, _ in pairs)
    shown = f"{given.text} ~ {known.text}"
    variants = ", ".join(f"{short[i]}/{long[j]}" for i, j, likeness in pairs if likeness < 1)
    if covered and len(short) == len(long):
        if not exact:
            pieces = [Evidence("spelling variant", 3.0, f"{shown} ({variants})")]
        elif in_order:
            pieces = [Evidence("same name", 4.0, shown)]
        else:
            pieces = [Evidence("same words in another order", 3.5, shown)]
    elif covered and shared >= 1.5:
        pieces = [Evidence("one name within the other", 2.5 if exact else 2.0, shown)]
    elif covered and shared >= 1:
        pieces = [Evidence("only a name in common", 1.0, shown)]
    elif shared >= 1.5:
        pieces = [Evidence("partly the same name", 1.5, shown)]
    elif shared >= 1:
        pieces = [Evidence("one word in common", 0.5, shown)]
    else:
        return []
    unmatched_long = [long[j] for j in range(len(long)) if j not in used]
    unmatched_short = [short[i] for i in range(len(short)) if i not in {i for i, _, _ in pairs}]
    pieces += _initials(given, known, unmatched_long + unmatched_short)
    first_a, first_b = a[0], b[0]
    if (
        len(a) >= 2
        and len(b) >= 2
        and word_likeness(first_a, first_b) == 0
        and first_a in unmatched_long + unmatched_short
        and first_b in unmatched_long + unmatched_short
        and COMMON.isdisjoint({first_a, first_b})
    ):
        # Same family name, other given names: brothers, fathers and sons.
        pieces.append(Evidence("given names differ", -2.5, f"{first_a} / {first_b}"))
    return pieces


def _initials(given: NameForm, known: NameForm, unmatched: list[str]) -> list[Evidence]:
    if not (given.initials or known.initials):
        return []
    if given.initials and known.initials:
        if given.initials == known.initials:
            return [Evidence("initials agree", 0.5, ".".join(given.initials).upper())]
        return [Evidence("initials differ", -3.0, f"{'.'.join(given.initials)} / {'.'.join(known.initials)}".upper())]
    initials = given.initials or known.initials
    letters = {word[0] for word in unmatched}
    if set(initials) <= letters:
        return [Evidence("initials fit", 0.5, f"{'.'.join(initials).upper()} for {' '.join(unmatched)}")]
    if unmatched:
        return [Evidence("initials differ", -1.0, f"{'.'.join(initials).upper()} / {' '.join(unmatched)}")]
    return []


@functools.lru_cache(maxsize=65536)
def compare_names(given: str, known: str) -> tuple[Evidence, ...]:
    """The best-supported evidence over the forms of both names ([] if none)."""
    best: list[Evidence] = []
    for a in name_forms(given):
        for b in name_forms(known):
            pieces = compare_forms(a, b)
            if pieces and sum(p.weight for p in pieces) > sum(p.weight for p in best):
                best = pieces
    return tuple(best)
