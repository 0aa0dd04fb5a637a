"""
Starts a shop order and waits for its receipt: `python place_order.py http://127.0.0.1:8080 $API_KEY`.
Celery: `chord(...)(...).get(timeout=30)`; here the run has a history, and the same order id never
starts a second run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import spark


def place_order(client: spark.Client, order: dict[str, Any]) -> Any:
    client.register_workflow(json.loads((Path(__file__).parent / "shop-order.json").read_text()))
    run_id = client.start("shop-order", order, idempotency_key=f"order-{order['orderId']}")
    return client.result(run_id, timeout=60)


if __name__ == "__main__":
    url, api_key = sys.argv[1], sys.argv[2]
    order = {"orderId": "o-1", "amount": 4200, "items": ["mug"], "images": ["mug.png"], "flakyGateway": True}
    print(json.dumps(place_order(spark.Client(url, api_key), order), indent=2))
