"""A synthetic, national-size corpus with the shape of the real data
(``manage.py generate_corpus``): deterministic from a seed, bulk-inserted."""

from records.corpus.generator import CorpusNotEmpty, CorpusSize, generate_corpus

__all__ = ["CorpusNotEmpty", "CorpusSize", "generate_corpus"]
