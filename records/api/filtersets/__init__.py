"""What the resources' filtersets share: filters on related records (relations.py).
Each filterset lives with its resource, in records/api/resources/."""
