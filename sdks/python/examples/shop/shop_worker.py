"""
The Spark side of docs/migrating-from-celery.md: the shop's Celery tasks as a Spark worker.
Run it with `spark-worker run shop_worker:worker` (from this folder).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

import spark

worker = spark.Worker(queue="shop", concurrency=8)

#: Stands in for the payment provider, which keeps one charge per idempotency key.
CHARGES: dict[str, dict[str, Any]] = {}


class Order(BaseModel):
    orderId: str
    amount: int
    items: list[str]
    flakyGateway: bool = False


@worker.task("reserve_stock")
def reserve_stock(order: Order) -> dict[str, Any]:
    return {"reserved": order.items}


@worker.task("charge")
def charge(order: Order, ctx: spark.TaskContext) -> dict[str, Any]:
    if order.amount <= 0:
        raise spark.NonRetryable("INVALID_AMOUNT", f"cannot charge {order.amount}")
    if order.flakyGateway and ctx.attempt == 1:
        # Celery: autoretry_for=(ConnectionError,). Here the step's retry policy decides when.
        raise ConnectionError("the payment gateway did not answer")
    # One charge per step, whichever attempt gets here first: the key leaves the attempt out.
    key = f"{ctx.run_id}:{ctx.step_id}"
    charged = CHARGES.setdefault(key, {"chargeId": f"ch-{len(CHARGES) + 1}", "amount": order.amount})
    return {**charged, "attempt": ctx.attempt}


@worker.task("thumbnail")
async def thumbnail(image: str) -> str:
    return f"thumb/{image}"


@worker.task("send_receipt")
def send_receipt(receipt: dict[str, Any], ctx: spark.TaskContext) -> dict[str, Any]:
    ctx.logger.info("sending receipt", extra={"orderId": receipt["orderId"]})
    return {"sent": True, **receipt}
