"""Exports of the records in other standards' formats (Popolo, ...)."""
