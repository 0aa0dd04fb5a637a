from __future__ import annotations

import json

import pytest

from spark import messages
from spark.errors import NonRetryable, Retryable, classify
from spark.messages import InvalidDispatch, parse_dispatch

DISPATCH = {
    "version": 1,
    "idempotencyKey": "run-7f3a:charge:2",
    "runId": "run-7f3a",
    "stepId": "charge",
    "attempt": 2,
    "workflow": {"name": "checkout", "version": 3},
    "handler": "external:billing",
    "config": {"currency": "EUR", "task": "charge"},
    "input": {"orderId": "o-1", "amount": 4200},
    "timeouts": {"startToCloseMs": 60000, "heartbeatMs": 10000},
    "priority": 5,
    "dispatchedAt": "2026-11-25T10:00:00.000Z",
}


def test_a_dispatch_is_parsed_with_every_field() -> None:
    dispatch = parse_dispatch(json.dumps(DISPATCH).encode())
    assert (dispatch.run_id, dispatch.step_id, dispatch.attempt) == ("run-7f3a", "charge", 2)
    assert dispatch.idempotency_key == "run-7f3a:charge:2"
    assert (dispatch.workflow_name, dispatch.workflow_version, dispatch.queue) == ("checkout", 3, "billing")
    assert dispatch.config == {"currency": "EUR", "task": "charge"}
    assert dispatch.input == {"orderId": "o-1", "amount": 4200}
    assert (dispatch.timeouts.start_to_close_ms, dispatch.timeouts.heartbeat_ms) == (60000, 10000)


def test_a_dispatch_without_heartbeat_timeout_has_none() -> None:
    message = {**DISPATCH, "timeouts": {"startToCloseMs": 1000}}
    assert parse_dispatch(json.dumps(message)).timeouts.heartbeat_ms is None


def test_a_version_2_dispatch_names_its_task_taskid_and_results_answer_it() -> None:
    v2 = {**DISPATCH, "version": 2, "taskId": "lines[3]", "stepId": "lines", "itemIndex": 3, "purpose": "step"}
    v2["idempotencyKey"] = f"{DISPATCH['runId']}:lines[3]:{DISPATCH['attempt']}"
    dispatch = parse_dispatch(json.dumps(v2))
    assert dispatch.step_id == "lines[3]"
    assert messages.succeeded(dispatch, "w-1", 1)["stepId"] == "lines[3]"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"[1]", "not a JSON object"),
        (json.dumps({**DISPATCH, "version": 3}), "unknown message version 3"),
        (json.dumps({**DISPATCH, "version": 2}), '"taskId" is missing'),
        (json.dumps({k: v for k, v in DISPATCH.items() if k != "runId"}), '"runId" is missing'),
        (json.dumps({**DISPATCH, "attempt": "2"}), '"attempt" is missing or not a int'),
        (json.dumps({**DISPATCH, "attempt": True}), '"attempt"'),
        (json.dumps({**DISPATCH, "config": [1]}), '"config" is not an object'),
    ],
)
def test_anything_else_is_refused_with_the_reason(value: bytes | str, reason: str) -> None:
    with pytest.raises(InvalidDispatch, match=reason.replace("(", r"\(")):
        parse_dispatch(value)


def test_results_copy_the_attempt_from_the_dispatch() -> None:
    dispatch = parse_dispatch(json.dumps(DISPATCH))
    result = messages.succeeded(dispatch, "w-1", {"ok": True}, at="2026-12-01T00:00:00.000Z")
    assert result == {
        "version": 1,
        "status": "succeeded",
        "idempotencyKey": "run-7f3a:charge:2",
        "runId": "run-7f3a",
        "stepId": "charge",
        "attempt": 2,
        "workerId": "w-1",
        "at": "2026-12-01T00:00:00.000Z",
        "output": {"ok": True},
    }
    assert messages.started(dispatch, "w-1")["status"] == "started"
    assert "progress" not in messages.heartbeat(dispatch, "w-1")
    assert messages.heartbeat(dispatch, "w-1", {"done": 3})["progress"] == {"done": 3}
    failed = messages.failed(dispatch, "w-1", classify(NonRetryable("CARD_DECLINED", "no")))
    assert failed["error"] == {"code": "CARD_DECLINED", "message": "no", "classification": "non_retryable"}
    assert json.loads(messages.encode(failed)) == failed
    assert messages.now_iso().endswith("Z")


def test_errors_are_classified_by_kind_and_other_exceptions_are_retryable_with_their_type() -> None:
    assert classify(Retryable("HTTP_503", "down", {"url": "x"})) == {
        "code": "HTTP_503",
        "message": "down",
        "classification": "retryable",
        "details": {"url": "x"},
    }
    assert classify(NonRetryable("BAD"))["message"] == "BAD"
    assert classify(KeyError("orderId")) == {
        "code": "KeyError",
        "message": "'orderId'",
        "classification": "retryable",
    }
    assert classify(TimeoutError())["message"] == "TimeoutError"
    assert classify(ValueError("x" * 5000))["message"] == "x" * 2000
    assert classify(NonRetryable("BAD"), cancelled=True)["classification"] == "cancelled"


def test_a_retryable_error_carries_its_retry_after_in_ms() -> None:
    assert classify(Retryable("RATE_LIMITED", "slow down", retry_after=2.5))["retryAfterMs"] == 2500
    assert "retryAfterMs" not in classify(Retryable("HTTP_503", "down"))
    with pytest.raises(ValueError, match="retry_after"):
        Retryable("X", retry_after=-1)
