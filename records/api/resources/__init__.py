"""One module per resource: its read specs (and, in time, its filterset,
write serializer and viewset) side by side."""
