"""API serializers: explicit fields, nested data only from prefetched rows."""
