"""What the schema asks the benchmark to cover, and what no scenario does."""

from __future__ import annotations

from bench.schema import Operation


def required(operations: list[Operation]) -> list[str]:
    """Every operation; for a list, count=true, each filter, each order and a deep page in it."""
    out = []
    for op in operations:
        out.append(op.id)
        if op.is_list:
            out.append(f"{op.id}?count")
            out += [f"{op.id}?{name}" for name in op.filters]
            for ordering in op.orderings:
                out += [f"{op.id}?ordering={ordering}", f"{op.id}?ordering={ordering} deep"]
    return out


def uncovered(operations: list[Operation], scenarios) -> list[str]:
    covered = set().union(*(s.covers for s in scenarios)) if scenarios else set()
    return [item for item in required(operations) if item not in covered]
