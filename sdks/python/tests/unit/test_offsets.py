from __future__ import annotations

from spark.offsets import OffsetTracker

P = ("spark.tasks.external.q", 0)


def test_the_commit_moves_only_past_offsets_that_are_all_done() -> None:
    tracker = OffsetTracker()
    for offset in (10, 11, 12):
        tracker.received(P, offset)
    assert tracker.finished(P, 11) is None
    assert tracker.in_flight(P) == 2
    assert tracker.finished(P, 10) == 12  # 10 and 11 are done: read on from 12
    assert tracker.finished(P, 12) == 13
    assert tracker.in_flight(P) == 0


def test_partitions_are_independent() -> None:
    tracker = OffsetTracker()
    other = ("spark.tasks.external.q", 1)
    tracker.received(P, 5)
    tracker.received(other, 7)
    assert tracker.finished(other, 7) == 8
    assert tracker.in_flight(P) == 1


def test_a_revoked_partition_commits_nothing_for_its_old_offsets() -> None:
    tracker = OffsetTracker()
    tracker.received(P, 1)
    tracker.forget(P)
    assert tracker.finished(P, 1) is None
    tracker.received(P, 3)  # assigned again: read from the committed offset
    assert tracker.finished(P, 1) is None
    assert tracker.in_flight(P) == 1
    assert tracker.finished(P, 3) == 4
