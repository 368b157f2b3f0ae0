"""The records as a Popolo JSON document (https://www.popoloproject.com/):
persons, organizations, memberships, posts, areas and events, each with its
sources. One module per job: ids, dates (fuzzy dates as Popolo dates), sources
(citations as links), one per Popolo class, selection (what a document holds)
and document (the streamed assembly)."""

from records.interchange.popolo.document import SECTIONS, PopoloCounts, popolo_chunks, write_popolo

__all__ = ["SECTIONS", "PopoloCounts", "popolo_chunks", "write_popolo"]
