"""Values a worker keeps by key, the most recently used first: compiled
queries (records/compiled_queries.py), totals and plan counts
(records/remembered.py)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class KeptLast(Generic[Value]):
    """Values by key; past ``keep`` of them, the least recently used go first.
    A threaded server's requests share them: two threads may both make a new
    value, harmlessly (the last one made is kept)."""

    def __init__(self):
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Value], *, keep: int) -> Value:
        """The value kept for ``key``, else ``make()`` (run outside the lock), kept."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > keep:
                self._values.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
