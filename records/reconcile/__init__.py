"""The reconciliation service's matching and scoring (no HTTP: records/api/reconcile.py):
a batch read and checked (batch.py), persons scored by the person matcher
(people.py), parties, constituencies and places by the name search (named.py),
the answers of a batch (service.py), the types and properties (vocabulary.py)."""
