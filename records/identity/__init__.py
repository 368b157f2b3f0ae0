"""People across sources: scoring an incoming candidate record against known
people with explained evidence (matcher.py, names.py), recording what is not
certain enough to link as a possible match for a curator (proposals.py), the
curator's accept and reject (decisions.py), and measuring precision and
recall on a labelled set built from the shipped data (evaluation.py)."""
