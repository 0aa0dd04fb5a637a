"""The example of docs/migrating-from-celery.md (sdks/python/examples/shop) runs as written."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import spark

from .conftest import WorkerLauncher

pytestmark = pytest.mark.e2e

SHOP = Path(__file__).parents[2] / "examples" / "shop"


def load_place_order() -> Any:
    spec = importlib.util.spec_from_file_location("place_order", SHOP / "place_order.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.place_order


def test_the_shop_example_runs_its_chord_with_a_retry(client: spark.Client, start_worker: WorkerLauncher) -> None:
    start_worker("shop", target="shop_worker:worker", cwd=SHOP)
    place_order = load_place_order()
    order = {
        "orderId": "o-1",
        "amount": 4200,
        "items": ["mug", "tea"],
        "images": ["a.png", "b.png"],
        "flakyGateway": True,
    }
    receipt = place_order(client, order)
    assert receipt == {
        "sent": True,
        "orderId": "o-1",
        "chargeId": "ch-1",
        "reserved": ["mug", "tea"],
        "thumbnails": ["thumb/a.png", "thumb/b.png"],
    }
    # The same order again: the idempotency key names the same run, nothing is charged twice.
    assert place_order(client, order) == receipt
    run_id = client.start("shop-order", order, idempotency_key="order-o-1")
    charge = next(step for step in client.get(run_id)["steps"] if step["stepId"] == "charge")
    assert [a["status"] for a in charge["attempts"]] == ["FAILED", "SUCCEEDED"]
    assert charge["attempts"][0]["error"]["code"] == "ConnectionError"
    assert charge["output"]["attempt"] == 2
