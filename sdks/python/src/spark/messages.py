"""
The JSON messages between Spark and a worker (docs/external-workers.md, `libs/contracts/src/tasks`):
a `TaskDispatch` in, `TaskResult`s out. Pure: no Kafka here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .errors import TaskErrorBody

TASK_MESSAGE_VERSION = 1
# Dispatches of version 2 name the task `taskId` (and add the step it belongs to); Spark sends them to
# its own executor, and to external queues once workers read both (docs/adr/0132).
TASK_DISPATCH_VERSIONS = (1, 2)


class InvalidDispatch(ValueError):
    """A message on a task topic that is not a TaskDispatch this SDK understands."""


@dataclass(frozen=True)
class Timeouts:
    start_to_close_ms: int
    heartbeat_ms: int | None = None


@dataclass(frozen=True)
class TaskDispatch:
    idempotency_key: str
    run_id: str
    # The task id (`charge`, `lines[3]` for a map item): version 1's `stepId`, version 2's `taskId`.
    step_id: str
    attempt: int
    workflow_name: str
    workflow_version: int
    handler: str
    config: dict[str, Any]
    input: Any
    timeouts: Timeouts
    priority: int
    dispatched_at: str
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def queue(self) -> str:
        """`external:<name>` → `<name>`."""
        return self.handler.split(":", 1)[1] if ":" in self.handler else self.handler


def _field(message: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = message.get(name)
    # bool is an int in Python; no field here is a bool.
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InvalidDispatch(f'"{name}" is missing or not a {getattr(kind, "__name__", kind)}')
    return value


def parse_dispatch(value: bytes | str) -> TaskDispatch:
    """Parses a dispatch; raises InvalidDispatch (with the reason) for anything else."""
    try:
        message = json.loads(value)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidDispatch(f"not JSON: {error}") from None
    if not isinstance(message, dict):
        raise InvalidDispatch("not a JSON object")
    version = message.get("version")
    if version not in TASK_DISPATCH_VERSIONS or isinstance(version, bool):
        raise InvalidDispatch(f"unknown message version {version!r}")
    workflow = _field(message, "workflow", dict)
    timeouts = _field(message, "timeouts", dict)
    heartbeat = timeouts.get("heartbeatMs")
    config = message.get("config") or {}
    if not isinstance(config, dict):
        raise InvalidDispatch('"config" is not an object')
    return TaskDispatch(
        idempotency_key=_field(message, "idempotencyKey", str),
        run_id=_field(message, "runId", str),
        step_id=_field(message, "taskId" if version == 2 else "stepId", str),
        attempt=_field(message, "attempt", int),
        workflow_name=_field(workflow, "name", str),
        workflow_version=_field(workflow, "version", int),
        handler=_field(message, "handler", str),
        config=config,
        input=message.get("input"),
        timeouts=Timeouts(
            start_to_close_ms=_field(timeouts, "startToCloseMs", int),
            heartbeat_ms=heartbeat if isinstance(heartbeat, int) and heartbeat > 0 else None,
        ),
        priority=priority if isinstance(priority := message.get("priority"), int) else 5,
        dispatched_at=str(message.get("dispatchedAt", "")),
        raw=message,
    )


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _base(dispatch: TaskDispatch, worker_id: str, status: str, at: str | None) -> dict[str, Any]:
    return {
        "version": TASK_MESSAGE_VERSION,
        "status": status,
        "idempotencyKey": dispatch.idempotency_key,
        "runId": dispatch.run_id,
        "stepId": dispatch.step_id,
        "attempt": dispatch.attempt,
        "workerId": worker_id,
        "at": at or now_iso(),
    }


def started(dispatch: TaskDispatch, worker_id: str, at: str | None = None) -> dict[str, Any]:
    return _base(dispatch, worker_id, "started", at)


def heartbeat(dispatch: TaskDispatch, worker_id: str, progress: Any = None, at: str | None = None) -> dict[str, Any]:
    message = _base(dispatch, worker_id, "heartbeat", at)
    if progress is not None:
        message["progress"] = progress
    return message


def succeeded(dispatch: TaskDispatch, worker_id: str, output: Any, at: str | None = None) -> dict[str, Any]:
    message = _base(dispatch, worker_id, "succeeded", at)
    message["output"] = output
    return message


def failed(dispatch: TaskDispatch, worker_id: str, error: TaskErrorBody, at: str | None = None) -> dict[str, Any]:
    message = _base(dispatch, worker_id, "failed", at)
    message["error"] = dict(error)
    return message


def encode(message: Mapping[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
