"""What a running task sees of its attempt: `ctx` in `def task(input, ctx)`."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from .messages import TaskDispatch

_UNSET: Any = object()


class TaskContext:
    def __init__(
        self,
        dispatch: TaskDispatch,
        *,
        worker_id: str,
        send_heartbeat: Callable[[Any], None],
        min_heartbeat_gap_s: float,
        logger: logging.Logger,
    ) -> None:
        self.dispatch = dispatch
        self.worker_id = worker_id
        #: Set when the run was cancelled (or ended otherwise), or when the worker is shutting down and
        #: its grace period is over: stop, the result will not count.
        self.cancelled = threading.Event()
        self.logger = logging.LoggerAdapter(
            logger,
            {
                "runId": dispatch.run_id,
                "stepId": dispatch.step_id,
                "attempt": dispatch.attempt,
                "idempotencyKey": dispatch.idempotency_key,
            },
        )
        self._send_heartbeat = send_heartbeat
        self._min_gap_s = min_heartbeat_gap_s
        self._lock = threading.Lock()
        self._last_sent = 0.0
        self._details: Any = None
        self._pending: Any = _UNSET
        self._closed = False

    @property
    def idempotency_key(self) -> str:
        """`runId:stepId:attempt`: key every side effect by it (delivery is at least once)."""
        return self.dispatch.idempotency_key

    @property
    def attempt(self) -> int:
        return self.dispatch.attempt

    @property
    def run_id(self) -> str:
        return self.dispatch.run_id

    @property
    def step_id(self) -> str:
        return self.dispatch.step_id

    @property
    def config(self) -> dict[str, Any]:
        return self.dispatch.config

    def heartbeat(self, details: Any = None) -> None:
        """
        Reports progress (any JSON value, recorded in the run's history) and that the task is alive.
        Throttled: calls closer together than a fraction of the heartbeat timeout send the latest
        details a moment later instead of one message each.
        """
        with self._lock:
            if self._closed:
                return
            self._details = details
            if time.monotonic() - self._last_sent < self._min_gap_s:
                self._pending = details
                return
            self._pending = _UNSET
            self._last_sent = time.monotonic()
        self._send_heartbeat(details)

    def _tick(self, interval_s: float | None) -> None:
        """Called by the worker's heartbeat thread: sends a held-back heartbeat, or a periodic one."""
        with self._lock:
            if self._closed:
                return
            now = time.monotonic()
            due = self._pending is not _UNSET and now - self._last_sent >= self._min_gap_s
            due = due or (interval_s is not None and now - self._last_sent >= interval_s)
            if not due:
                return
            details = self._details if self._pending is _UNSET else self._pending
            self._pending = _UNSET
            self._last_sent = now
        self._send_heartbeat(details)

    def _close(self) -> None:
        """No heartbeat after the final result (they would only be ignored)."""
        with self._lock:
            self._closed = True

    def _mark_started(self) -> None:
        with self._lock:
            self._last_sent = time.monotonic()

    async def wait_cancelled(self, timeout: float | None = None) -> bool:
        """For `async def` tasks: waits until the run is cancelled (True) or the timeout passes (False)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while not self.cancelled.is_set():
            if deadline is not None and loop.time() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True
