"""spark.Client against the real gateway: start with an idempotency key, get, wait, signal, cancel, events."""

from __future__ import annotations

import time

import pytest

import spark

from .conftest import unique

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def approval(client: spark.Client) -> str:
    """Waits for an `approved` signal, then says who approved."""
    name = unique("py-approval")
    registered = client.register_workflow(
        {
            "name": name,
            "version": 1,
            "steps": [
                {"id": "approval", "type": "signal", "signal": {"name": "approved", "timeout": "30s"}},
                {
                    "id": "say",
                    "type": "task",
                    "needs": ["approval"],
                    "handler": "transform",
                    "config": {"expression": '"approved by " & input.by & " for " & $string(input.amount)'},
                    "input": {"by": "=steps.approval.output.by", "amount": "=input.amount"},
                },
            ],
            "output": "steps.say.output",
        }
    )
    assert (registered["name"], registered["version"]) == (name, 1)
    return name


def test_a_start_with_the_same_idempotency_key_names_the_same_run(client: spark.Client, approval: str) -> None:
    key = unique("order")
    first = client.start(approval, {"amount": 7}, idempotency_key=key, labels={"team": "growth"})
    assert client.start(approval, {"amount": 7}, idempotency_key=key, labels={"team": "growth"}) == first
    # The key names that request: another input or other labels with it is a 422 naming the key.
    with pytest.raises(spark.ApiError) as reused:
        client.start(approval, {"amount": 8}, idempotency_key=key, labels={"team": "growth"})
    assert reused.value.status == 422
    assert client.start(approval, {"amount": 7}, idempotency_key=unique("order")) != first
    run = client.get(first)
    assert run["runId"] == first and run["status"] in ("PENDING", "RUNNING")
    client.cancel(first)


def test_a_signal_resumes_the_run_and_result_returns_its_output(client: spark.Client, approval: str) -> None:
    run_id = client.start(approval, {"amount": 42})
    with pytest.raises(TimeoutError, match="still RUNNING"):
        client.wait(run_id, timeout=0.5)
    signal_id = client.signal(run_id, "approved", {"by": "ann"}, signal_id=unique("sig"))
    assert signal_id.startswith("sig-")
    assert client.result(run_id, timeout=30) == "approved by ann for 42"
    types = [event["type"] for event in client.events(run_id)]
    assert types[0] == "RunStarted" and types[-1] == "RunCompleted"
    assert "SignalReceived" in types


def test_a_cancelled_run_raises_run_failed_from_result(client: spark.Client, approval: str) -> None:
    run_id = client.start(approval, {"amount": 1})
    client.cancel(run_id, reason="not needed")
    with pytest.raises(spark.RunFailed) as failed:
        client.result(run_id, timeout=30)
    assert failed.value.status == "CANCELLED"
    assert failed.value.run["runId"] == run_id


def test_api_errors_carry_the_status_and_the_problem(client: spark.Client, engine: object) -> None:
    with pytest.raises(spark.ApiError) as missing:
        client.start(unique("no-such-workflow"), {})
    assert missing.value.status == 404
    assert "no-such-workflow" in str(missing.value.problem)
    with pytest.raises(spark.ApiError) as bad:
        client.get("not a run id")
    assert bad.value.status == 400
    with pytest.raises(spark.ApiError) as unauthorized:
        spark.Client(client.url, "wrong-key").get("r-1")
    assert unauthorized.value.status == 401


def test_a_schedule_replaces_a_beat_entry(client: spark.Client, approval: str) -> None:
    schedule_id = unique("py-nightly")
    created = client.create_schedule(
        {
            "id": schedule_id,
            "spec": {"kind": "cron", "expression": "0 2 * * *", "timezone": "Europe/Berlin"},
            "workflow": {"name": approval},
            "input": {"amount": 5},
            "overlap": "ALLOW_ALL",
        }
    )
    assert created["schedule"]["id"] == schedule_id
    times = client.fire_times(schedule_id, count=3)
    assert len(times) == 3 and times == sorted(times)
    assert client.pause_schedule(schedule_id, reason="holiday")["schedule"]["status"] == "paused"
    assert client.resume_schedule(schedule_id)["schedule"]["status"] == "active"
    (run_id,) = client.trigger_schedule(schedule_id)
    deadline = time.monotonic() + 15
    while True:  # the fire's run follows shortly: the scheduler starts it
        try:
            if client.get(run_id)["status"] == "RUNNING":
                break
        except spark.ApiError as error:
            assert error.status == 404
        assert time.monotonic() < deadline, f"run {run_id} of the schedule did not start"
        time.sleep(0.1)
    client.signal(run_id, "approved", {"by": "beat"})
    assert client.result(run_id, timeout=30) == "approved by beat for 5"
    client.delete_schedule(schedule_id)
    with pytest.raises(spark.ApiError) as gone:
        client.pause_schedule(schedule_id)
    assert 400 <= gone.value.status < 500
