"""THE LIMIT: what the API's reads cost when written as plainly as Django allows.

Plain function views (no DRF, no django-filter, no serializers) served by a
gunicorn of their own, whose settings (bench/limit/settings.py) have Django's
default ``startproject`` middleware and only the apps the models need. They
return the same data as the API for the same request: rows from the ORM's
``.values()``, JSON from orjson, their own keyset paging, filters, search,
career order and knowledge time (as_of, according_to and the links between
claims: bench/limit/knowledge.py). Nothing here imports the product's code beyond ``records.models``
(tests/test_bench_harness.py checks it): what the API costs beyond these views
is the price of its framework and of its own code."""
