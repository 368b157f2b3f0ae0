"""Curation services: merging duplicate people, and what a record's history shows."""
