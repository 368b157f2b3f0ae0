"""The API's read operations, from its OpenAPI schema: what the benchmark
must cover. A list is an operation with a ``cursor`` parameter; its filters are
its other query parameters but the paging and representation ones; its orders,
the ``ordering`` enum. (The reconciliation service's suggestions take a ``cursor``
too, the protocol's offset, but no ``page_size``: they are not a list of the API's.)"""

from __future__ import annotations

from dataclasses import dataclass

PAGING = {"page_size", "cursor", "count"}
# ``format`` picks JSON pages or a whole-list CSV export: how the same records are
# written, not which; the export's speed and memory are measured by bench/csv_export.py.
REPRESENTATION = {"format"}


@dataclass(frozen=True)
class Operation:
    id: str
    path: str  # under /api/v1, with {id} where a record's key goes
    is_list: bool
    filters: tuple[str, ...]
    orderings: tuple[str, ...]

    @property
    def resource(self) -> str:
        return self.path.strip("/").split("/")[0]


def operations(schema: dict, prefix: str = "/api/v1") -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None or not path.startswith(prefix):
            continue
        query = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
        ordering = query.get("ordering", {}).get("schema", {})
        orderings = ordering.get("enum") or ordering.get("items", {}).get("enum") or []
        found.append(
            Operation(
                id=operation["operationId"],
                path=path[len(prefix) :],
                is_list="cursor" in query and "page_size" in query,
                filters=tuple(sorted(set(query) - PAGING - REPRESENTATION - {"ordering"})),
                orderings=tuple(orderings),
            )
        )
    return found
