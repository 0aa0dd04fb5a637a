"""The worker the end-to-end tests run with `spark-worker run workers:worker` (queue from E2E_QUEUE)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

from opentelemetry import trace
from pydantic import BaseModel

import spark

MARKERS = Path(os.environ["E2E_MARKERS"])

worker = spark.Worker(
    queue=os.environ["E2E_QUEUE"],
    concurrency=4,
    cancel_grace=1.0,
    # A worker killed with -9 leaves its group membership behind until this times out (the broker's minimum).
    consumer_config={"session.timeout.ms": 6000, "heartbeat.interval.ms": 1000},
)


def mark(name: str) -> None:
    (MARKERS / name).touch()


class Order(BaseModel):
    orderId: str
    amount: int


@worker.task("charge")
async def charge(order: Order, ctx: spark.TaskContext) -> dict[str, Any]:
    await asyncio.sleep(0.01)
    span = trace.get_current_span().get_span_context()
    return {
        "chargeId": f"ch-{ctx.idempotency_key}",
        "amount": order.amount,
        "currency": ctx.config.get("currency"),
        "traceId": format(span.trace_id, "032x"),
    }


@worker.task("refuse")
def refuse(order: dict[str, Any]) -> None:
    raise spark.NonRetryable("CARD_DECLINED", "the card was declined", {"orderId": order["orderId"]})


@worker.task("flaky")
def flaky(_input: Any, ctx: spark.TaskContext) -> dict[str, int]:
    if ctx.attempt < 2:
        raise spark.Retryable("GATEWAY_DOWN", "the payment gateway did not answer")
    return {"attempt": ctx.attempt}


@worker.task("broken")
def broken(_input: Any) -> None:
    raise ValueError("a bug")


@worker.task("progress")
def progress(job: dict[str, Any], ctx: spark.TaskContext) -> dict[str, int]:
    """Runs longer than its step's heartbeat timeout, reporting progress."""
    for done in range(1, job["steps"] + 1):
        time.sleep(job["stepSeconds"])
        ctx.heartbeat({"done": done})
    return {"steps": job["steps"]}


@worker.task("sleep")
def sleep(job: dict[str, Any], ctx: spark.TaskContext) -> dict[str, Any]:
    """Runs longer than its step's heartbeat timeout without calling ctx.heartbeat: the worker heartbeats."""
    mark(f"{ctx.idempotency_key}.started")
    time.sleep(job["seconds"])
    return {"slept": job["seconds"], "attempt": ctx.attempt, "pid": os.getpid()}


@worker.task("wait_for_cancel")
def wait_for_cancel(_input: Any, ctx: spark.TaskContext) -> dict[str, bool]:
    mark(f"{ctx.run_id}.started")
    if ctx.cancelled.wait(30):
        mark(f"{ctx.run_id}.cancelled")
        raise RuntimeError("stopped: the run was cancelled")
    return {"cancelled": False}


@worker.task("overlap")
def overlap(seconds: float, ctx: spark.TaskContext) -> None:
    """Records when it ran, to count the tasks that ran at once."""
    started = time.time()
    time.sleep(seconds)
    (MARKERS / f"{ctx.idempotency_key}.span").write_text(f"{started} {time.time()}")


@worker.task("die")
def die(_input: Any, ctx: spark.TaskContext) -> dict[str, Any]:
    """The first run of attempt 1 kills its own worker (-9) the moment it begins: nothing the SDK queues after
    that leaves. A redelivery of that attempt (to the next worker) does not die again."""
    if ctx.attempt == 1:
        try:
            os.close(os.open(MARKERS / f"{ctx.idempotency_key}.died", os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return {"attempt": ctx.attempt, "pid": os.getpid()}
        os.kill(os.getpid(), signal.SIGKILL)
    return {"attempt": ctx.attempt, "pid": os.getpid()}
