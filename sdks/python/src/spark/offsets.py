"""Which offsets may be committed when tasks of one partition finish out of order."""

from __future__ import annotations

import heapq
from collections.abc import Hashable


class OffsetTracker:
    """
    Per partition, the offsets in flight and those done. An offset is committable once it and every
    offset before it (that this worker received) is done: a dispatch is committed only after its final
    result is on Kafka, so a crash redelivers every unfinished one.
    """

    def __init__(self) -> None:
        self._pending: dict[Hashable, list[int]] = {}
        self._done: dict[Hashable, set[int]] = {}

    def received(self, partition: Hashable, offset: int) -> None:
        heapq.heappush(self._pending.setdefault(partition, []), offset)
        self._done.setdefault(partition, set())

    def finished(self, partition: Hashable, offset: int) -> int | None:
        """Marks an offset done; returns the offset to commit (the next one to read), if it moved."""
        pending = self._pending.get(partition)
        if pending is None or offset not in pending:
            return None  # revoked meanwhile (and perhaps assigned again since)
        done = self._done[partition]
        done.add(offset)
        moved: int | None = None
        while pending and pending[0] in done:
            first = heapq.heappop(pending)
            done.discard(first)
            moved = first + 1
        return moved

    def in_flight(self, partition: Hashable) -> int:
        return len(self._pending.get(partition, [])) - len(self._done.get(partition, set()))

    def forget(self, partition: Hashable) -> None:
        """The partition was revoked: its unfinished offsets go to whoever gets it next."""
        self._pending.pop(partition, None)
        self._done.pop(partition, None)

    def partitions(self) -> list[Hashable]:
        return list(self._pending)
