from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from spark.context import TaskContext
from spark.messages import parse_dispatch

from .test_messages import DISPATCH


def context(sent: list[Any], gap: float = 0.2) -> TaskContext:
    return TaskContext(
        parse_dispatch(json.dumps(DISPATCH)),
        worker_id="w",
        send_heartbeat=sent.append,
        min_heartbeat_gap_s=gap,
        logger=logging.getLogger("test"),
    )


def test_the_attempt_is_visible_to_the_task() -> None:
    ctx = context([])
    assert (ctx.idempotency_key, ctx.attempt, ctx.run_id, ctx.step_id) == ("run-7f3a:charge:2", 2, "run-7f3a", "charge")
    assert ctx.config["currency"] == "EUR"
    assert not ctx.cancelled.is_set()


def test_heartbeats_are_throttled_and_the_latest_details_are_sent_later() -> None:
    sent: list[Any] = []
    ctx = context(sent)
    ctx.heartbeat({"done": 1})
    ctx.heartbeat({"done": 2})
    ctx.heartbeat({"done": 3})
    assert sent == [{"done": 1}]
    ctx._tick(None)
    assert sent == [{"done": 1}]  # too soon
    time.sleep(0.25)
    ctx._tick(None)
    assert sent == [{"done": 1}, {"done": 3}]
    ctx._tick(None)
    assert len(sent) == 2  # nothing held back, no periodic interval


def test_periodic_heartbeats_repeat_the_last_details() -> None:
    sent: list[Any] = []
    ctx = context(sent, gap=0.01)
    ctx._mark_started()
    time.sleep(0.02)
    ctx.heartbeat("half")
    time.sleep(0.06)
    ctx._tick(0.05)
    assert sent == ["half", "half"]


def test_wait_cancelled_for_async_tasks() -> None:
    ctx = context([])

    async def scenario() -> tuple[bool, bool]:
        early = await ctx.wait_cancelled(timeout=0.05)
        asyncio.get_running_loop().call_later(0.05, ctx.cancelled.set)
        return early, await ctx.wait_cancelled(timeout=5)

    assert asyncio.run(scenario()) == (False, True)
