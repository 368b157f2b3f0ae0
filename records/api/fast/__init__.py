"""The fast read path: list pages and details built from ``.values()`` rows and
rendered with orjson, for the endpoints where model instances and serializer
fields were most of the time. DRF still routes, filters, checks permissions
and paginates; the JSON is the one the serializers (and so the schema)
declare, which tests/test_api_fast_path.py checks against them."""
