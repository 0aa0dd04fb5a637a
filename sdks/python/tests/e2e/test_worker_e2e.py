"""Workflows with `external:<queue>` steps run by Python workers, against the real Kafka and services."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from datetime import datetime
from typing import Any

import pytest

import spark

from .conftest import Engine, WorkerProcess, unique

pytestmark = pytest.mark.e2e


def register(client: spark.Client, queue: str, task: str, **step: Any) -> str:
    """A workflow of one `external:<queue>` step running `task`, with the run's input as its input."""
    name = unique(f"py-{task}")
    client.register_workflow(
        {
            "name": name,
            "version": 1,
            "steps": [
                {
                    "id": "work",
                    "type": "task",
                    "handler": f"external:{queue}",
                    "config": {"task": task, **step.pop("config", {})},
                    "input": "=input",
                    **step,
                }
            ],
            "output": "steps.work.output",
        }
    )
    return name


def attempts(run: dict[str, Any]) -> list[dict[str, Any]]:
    return next(step for step in run["steps"] if step["stepId"] == "work")["attempts"]


def at(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


@pytest.fixture(scope="module")
def shared(start_worker_module: Any) -> WorkerProcess:
    worker: WorkerProcess = start_worker_module()
    return worker


def test_a_python_task_runs_a_step_and_its_output_feeds_the_next_step(
    client: spark.Client, shared: WorkerProcess
) -> None:
    name = unique("py-checkout")
    client.register_workflow(
        {
            "name": name,
            "version": 1,
            "steps": [
                {
                    "id": "charge",
                    "type": "task",
                    "handler": f"external:{shared.queue}",
                    "config": {"task": "charge", "currency": "EUR"},
                    "input": {"orderId": "=input.orderId", "amount": "=input.amount"},
                },
                {
                    "id": "receipt",
                    "type": "task",
                    "needs": ["charge"],
                    "handler": "transform",
                    "config": {"expression": '"receipt " & input.chargeId'},
                    "input": "=steps.charge.output",
                },
            ],
            "output": '{"charge": steps.charge.output, "receipt": steps.receipt.output}',
        }
    )
    run_id = client.start(name, {"orderId": "o-1", "amount": 4200}, idempotency_key=unique("order"))
    run = client.wait(run_id, timeout=30)
    assert run["status"] == "COMPLETED", run
    key = f"{run_id}:charge:1"
    charge = run["output"]["charge"]
    assert charge["chargeId"] == f"ch-{key}"
    assert (charge["amount"], charge["currency"]) == (4200, "EUR")
    assert run["output"]["receipt"] == f"receipt ch-{key}"
    # The trace id the task saw is the run's: the worker continued the dispatch's traceparent.
    assert len(charge["traceId"]) == 32 and charge["traceId"] != "0" * 32


def test_input_that_fails_the_tasks_pydantic_model_fails_the_step_at_once(
    client: spark.Client, shared: WorkerProcess
) -> None:
    name = register(client, shared.queue, "charge", retry={"maxAttempts": 3, "initialInterval": "100ms"})
    run = client.wait(client.start(name, {"orderId": "o-2", "amount": "a lot"}), timeout=30)
    assert run["status"] == "FAILED"
    assert [a["status"] for a in attempts(run)] == ["FAILED"]
    assert attempts(run)[0]["error"]["code"] == "INVALID_INPUT"


def test_non_retryable_fails_at_once_whatever_the_retry_policy(client: spark.Client, shared: WorkerProcess) -> None:
    name = register(
        client, shared.queue, "refuse", retry={"maxAttempts": 3, "backoff": "fixed", "initialInterval": "100ms"}
    )
    run = client.wait(client.start(name, {"orderId": "o-3"}), timeout=30)
    assert run["status"] == "FAILED"
    assert [a["status"] for a in attempts(run)] == ["FAILED"]
    error = attempts(run)[0]["error"]
    assert error["code"] == "CARD_DECLINED" and error["message"] == "the card was declined"
    assert error.get("details") == {"orderId": "o-3"}


def test_retryable_is_retried_after_the_steps_backoff_and_then_succeeds(
    client: spark.Client, shared: WorkerProcess
) -> None:
    name = register(
        client, shared.queue, "flaky", retry={"maxAttempts": 3, "backoff": "fixed", "initialInterval": "700ms"}
    )
    run = client.wait(client.start(name, {}), timeout=30)
    assert run["status"] == "COMPLETED", run
    assert run["output"] == {"attempt": 2}
    first, second = attempts(run)
    assert (first["status"], first["error"]["code"], second["status"]) == ("FAILED", "GATEWAY_DOWN", "SUCCEEDED")
    assert at(second["dispatchedAt"]) - at(first["finishedAt"]) >= 0.65


def test_any_other_exception_is_retryable_with_its_type_as_code_and_the_policy_decides(
    client: spark.Client, shared: WorkerProcess
) -> None:
    retried = register(client, shared.queue, "broken", retry={"maxAttempts": 2, "initialInterval": "100ms"})
    refused = register(
        client,
        shared.queue,
        "broken",
        retry={"maxAttempts": 3, "initialInterval": "100ms", "nonRetryableErrors": ["ValueError"]},
    )
    runs = [client.start(retried, {}), client.start(refused, {})]
    retried_run, refused_run = (client.wait(run_id, timeout=30) for run_id in runs)
    assert [(a["status"], a["error"]["code"]) for a in attempts(retried_run)] == [("FAILED", "ValueError")] * 2
    assert [(a["status"], a["error"]["code"]) for a in attempts(refused_run)] == [("FAILED", "ValueError")]


def test_heartbeats_keep_a_task_longer_than_its_heartbeat_timeout_alive(
    client: spark.Client, shared: WorkerProcess
) -> None:
    name = register(
        client,
        shared.queue,
        "progress",
        timeout={"heartbeat": "2s", "startToClose": "30s"},
        retry={"maxAttempts": 1},
    )
    run_id = client.start(name, {"steps": 6, "stepSeconds": 0.5})
    run = client.wait(run_id, timeout=30)
    assert run["status"] == "COMPLETED", run
    assert len(attempts(run)) == 1
    beats = [event["data"] for event in client.events(run_id) if event["type"] == "HeartbeatRecorded"]
    assert {"done": 6} in [beat.get("details") for beat in beats]


def test_the_worker_heartbeats_by_itself_for_a_task_that_does_not(client: spark.Client, shared: WorkerProcess) -> None:
    name = register(client, shared.queue, "sleep", timeout={"heartbeat": "2s"}, retry={"maxAttempts": 1})
    run = client.wait(client.start(name, {"seconds": 3.5}), timeout=30)
    assert run["status"] == "COMPLETED", run
    assert len(attempts(run)) == 1


def test_cancelling_the_run_sets_ctx_cancelled_in_the_running_task(client: spark.Client, shared: WorkerProcess) -> None:
    name = register(client, shared.queue, "wait_for_cancel")
    run_id = client.start(name, {})
    shared.wait_for_marker(f"{run_id}.started")
    client.cancel(run_id, reason="changed my mind")
    shared.wait_for_marker(f"{run_id}.cancelled", timeout=15)
    assert client.wait(run_id, timeout=15)["status"] == "CANCELLED"


def test_a_worker_runs_at_most_its_concurrency_of_tasks_at_once(client: spark.Client, start_worker: Any) -> None:
    worker: WorkerProcess = start_worker(None, "--concurrency", "2")
    name = unique("py-fan-out")
    client.register_workflow(
        {
            "name": name,
            "version": 1,
            "steps": [
                {
                    "id": "each",
                    "type": "map",
                    "items": "input.items",
                    "concurrency": 5,
                    "task": {"handler": f"external:{worker.queue}", "config": {"task": "overlap"}, "input": 0.8},
                }
            ],
        }
    )
    run = client.wait(client.start(name, {"items": [1, 2, 3, 4, 5]}), timeout=30)
    assert run["status"] == "COMPLETED", run
    spans = [tuple(map(float, path.read_text().split())) for path in worker.markers.glob(f"{run['runId']}*.span")]
    assert len(spans) == 5
    at_once = max(sum(1 for start, end in spans if start <= moment < end) for moment, _ in spans)
    assert at_once == 2


def test_sigterm_lets_the_task_in_flight_finish_and_then_exits(client: spark.Client, start_worker: Any) -> None:
    worker: WorkerProcess = start_worker()
    name = register(client, worker.queue, "sleep", timeout={"heartbeat": "2s"}, retry={"maxAttempts": 1})
    run_id = client.start(name, {"seconds": 2})
    worker.wait_for_marker(f"{run_id}:work:1.started")
    assert worker.stop(signal.SIGTERM, timeout=20) == 0
    run = client.wait(run_id, timeout=15)
    assert run["status"] == "COMPLETED", run
    assert run["output"]["pid"] == worker.process.pid
    worker.wait_for_log("worker stopped", timeout=1)


def test_sigterm_hands_back_a_task_that_does_not_finish_in_time_and_another_worker_completes_it(
    client: spark.Client, start_worker: Any
) -> None:
    first: WorkerProcess = start_worker(None, "--shutdown-timeout", "0.5")
    name = register(client, first.queue, "sleep", retry={"maxAttempts": 2, "initialInterval": "100ms"})
    run_id = client.start(name, {"seconds": 6})
    first.wait_for_marker(f"{run_id}:work:1.started")
    assert first.stop(signal.SIGTERM, timeout=20) == 0
    first.wait_for_log("handed an unfinished task back", timeout=1)
    second: WorkerProcess = start_worker(first.queue)
    run = client.wait(run_id, timeout=30)
    assert run["status"] == "COMPLETED", run
    handed_back, finished = attempts(run)
    assert handed_back["error"]["code"] == "WORKER_SHUTDOWN"
    assert (finished["attempt"], run["output"]["pid"]) == (2, second.process.pid)


def test_a_worker_killed_mid_task_has_its_step_retried_after_the_heartbeat_timeout(
    client: spark.Client, start_worker: Any
) -> None:
    doomed: WorkerProcess = start_worker()
    name = register(
        client, doomed.queue, "sleep", timeout={"heartbeat": "1s"}, retry={"maxAttempts": 2, "initialInterval": "100ms"}
    )
    run_id = client.start(name, {"seconds": 1.5})
    doomed.wait_for_marker(f"{run_id}:work:1.started")
    os.kill(doomed.process.pid, signal.SIGKILL)
    doomed.process.wait(10)
    # Nobody heartbeats attempt 1 any more: Spark times it out and dispatches attempt 2.
    deadline = time.monotonic() + 15
    while [a["status"] for a in attempts(client.get(run_id))][:1] != ["TIMED_OUT"]:
        assert time.monotonic() < deadline, client.get(run_id)
        time.sleep(0.1)
    survivor: WorkerProcess = start_worker(doomed.queue)
    run = client.wait(run_id, timeout=40)
    assert run["status"] == "COMPLETED", run
    lost, retried = attempts(run)
    assert (lost["status"], lost["error"]["code"]) == ("TIMED_OUT", "TIMEOUT_HEARTBEAT")
    assert lost["error"]["message"].startswith("heartbeat timeout")
    assert (retried["attempt"], run["output"]["pid"]) == (2, survivor.process.pid)


def test_a_worker_killed_the_moment_its_task_begins_still_has_the_attempt_timed_out_by_heartbeat(
    client: spark.Client, start_worker: Any
) -> None:
    # The worker reports the start before the task's code runs: a start report still queued in the
    # producer when the process dies would leave Spark without the attempt's heartbeat deadline.
    doomed: WorkerProcess = start_worker()
    name = register(
        client, doomed.queue, "die", timeout={"heartbeat": "1s"}, retry={"maxAttempts": 2, "initialInterval": "100ms"}
    )
    run_id = client.start(name, {})
    doomed.process.wait(30)
    deadline = time.monotonic() + 15
    while [a["status"] for a in attempts(client.get(run_id))][:1] != ["TIMED_OUT"]:
        assert time.monotonic() < deadline, client.get(run_id)
        time.sleep(0.1)
    survivor: WorkerProcess = start_worker(doomed.queue)
    run = client.wait(run_id, timeout=40)
    assert run["status"] == "COMPLETED", run
    assert (run["output"]["attempt"], run["output"]["pid"]) == (2, survivor.process.pid)


def test_the_trace_in_jaeger_continues_through_the_python_span(
    client: spark.Client, engine: Engine, shared: WorkerProcess
) -> None:
    name = register(client, shared.queue, "charge", config={"currency": "EUR"})
    run = client.wait(client.start(name, {"orderId": "o-9", "amount": 1}), timeout=30)
    assert run["status"] == "COMPLETED", run
    trace_id = run["output"]["traceId"]
    query = os.environ.get("SPARK_JAEGER_QUERY_URL", "http://127.0.0.1:16686")
    worker_service = f"spark-worker-{shared.queue}"
    scheduler_service = f"spark-scheduler{engine.service_name_suffix}"
    deadline = time.monotonic() + 30
    services: set[str] = set()
    spans: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{query}/api/traces/{trace_id}", timeout=5) as response:
                body = json.load(response)
            trace = body["data"][0]
            spans = trace["spans"]
            services = {trace["processes"][span["processID"]]["serviceName"] for span in spans}
        except (OSError, KeyError, IndexError, ValueError):
            pass
        if {worker_service, scheduler_service} <= services:
            break
        time.sleep(0.5)
    assert {worker_service, scheduler_service} <= services, services
    task_span = next(span for span in spans if span["operationName"] == "spark.task charge")
    tags = {tag["key"]: tag["value"] for tag in task_span["tags"]}
    assert tags["spark.run.id"] == run["runId"]
    # The Python span has a parent in the run's trace: the dispatch's traceparent was continued.
    assert any(ref["refType"] == "CHILD_OF" and ref["traceID"] == trace_id for ref in task_span["references"])
