"""
`spark.Client`: the REST API (`/api/v1`) from Python — register workflows, start runs (with an
idempotency key), read them, wait for their result, signal and cancel them. Standard library only.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any

FINAL_STATUSES = frozenset({"COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT"})


class ApiError(Exception):
    """An answer other than 2xx: the status and the RFC 9457 problem document (if it sent one)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        self.status = status
        self.problem = problem
        detail = problem.get("detail") or problem.get("title") or ""
        super().__init__(f"HTTP {status}: {detail}" if detail else f"HTTP {status}")


class RunFailed(Exception):
    """`Client.result()` of a run that ended other than COMPLETED."""

    def __init__(self, run: dict[str, Any]) -> None:
        self.run = run
        self.status: str = run.get("status", "")
        self.error: dict[str, Any] = run.get("error") or {}
        message = self.error.get("message") or self.error.get("code") or ""
        super().__init__(f"run {run.get('runId')} {self.status}" + (f": {message}" if message else ""))


class Client:
    def __init__(self, url: str, api_key: str | None = None, *, timeout: float = 30.0) -> None:
        """`url` is the gateway's base URL, e.g. `http://127.0.0.1:8080`; `api_key` a Bearer key."""
        self.url = url.rstrip("/")
        if self.url.endswith("/api/v1"):
            self.url = self.url[: -len("/api/v1")]
        self.api_key = api_key
        self.timeout = timeout

    # -- workflows ------------------------------------------------------------------------------

    def register_workflow(self, definition: Mapping[str, Any]) -> dict[str, Any]:
        """Registers a workflow version (a no-op when that version is registered with the same content)."""
        registered: dict[str, Any] = self._request("POST", "/workflows", body=definition)
        return registered

    # -- runs -----------------------------------------------------------------------------------

    def start(
        self,
        workflow: str,
        input: Any = None,
        *,
        idempotency_key: str | None = None,
        version: int | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> str:
        """
        Starts a run and returns its id once the start is durable. The same `idempotency_key` (for the
        same workflow) names the same run: repeating a start never starts a second one.
        """
        body: dict[str, Any] = {"workflow": workflow}
        if input is not None:
            body["input"] = input
        if version is not None:
            body["version"] = version
        if labels:
            body["labels"] = dict(labels)
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        accepted = self._request("POST", "/runs", body=body, headers=headers)
        return str(accepted["runId"])

    def get(self, run_id: str) -> dict[str, Any]:
        """The run with its status, output or error, steps and every attempt."""
        run: dict[str, Any] = self._request("GET", f"/runs/{_segment(run_id)}")
        return run

    def wait(self, run_id: str, timeout: float = 60.0, poll_interval: float = 0.2) -> dict[str, Any]:
        """Waits until the run ended (COMPLETED, FAILED, CANCELLED or TIMED_OUT) and returns it."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.get(run_id)
            if run.get("status") in FINAL_STATUSES:
                return run
            if time.monotonic() >= deadline:
                raise TimeoutError(f"run {run_id} is still {run.get('status')} after {timeout} s")
            time.sleep(poll_interval)

    def result(self, run_id: str, timeout: float = 60.0) -> Any:
        """The run's output once it completed; raises RunFailed when it ended otherwise."""
        run = self.wait(run_id, timeout)
        if run.get("status") != "COMPLETED":
            raise RunFailed(run)
        return run.get("output")

    def signal(self, run_id: str, name: str, payload: Any = None, *, signal_id: str | None = None) -> str:
        """Sends the named signal (delivered once per `signal_id`); returns the signal id."""
        body: dict[str, Any] = {"name": name}
        if payload is not None:
            body["payload"] = payload
        if signal_id is not None:
            body["signalId"] = signal_id
        return str(self._request("POST", f"/runs/{_segment(run_id)}/signals", body=body)["signalId"])

    def cancel(self, run_id: str, reason: str | None = None) -> None:
        """Cancels the run: its running tasks are told (`ctx.cancelled`), compensations do not run."""
        self._request("POST", f"/runs/{_segment(run_id)}/cancel", body={"reason": reason} if reason else {})

    def events(self, run_id: str, after: int | None = None) -> Iterator[dict[str, Any]]:
        """
        The run's history as it happens (Server-Sent Events): stored events first, then live ones,
        ending after the run's final event. Each is `{runId, revision, type, data, recordedAt}`.
        """
        headers = {"Accept": "text/event-stream"}
        if after is not None:
            headers["Last-Event-ID"] = str(after)
        request = self._build("GET", f"/runs/{_segment(run_id)}/events", None, headers)
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        with response:
            data: list[str] = []
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if data:
                        yield json.loads("\n".join(data))
                        data = []
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())

    # -- schedules (docs/schedules.md) -----------------------------------------------------------

    def create_schedule(self, schedule: Mapping[str, Any]) -> dict[str, Any]:
        """
        Creates a schedule: `{id, spec: {kind: cron, expression, timezone} | {kind: interval, every} |
        {kind: once, at}, workflow: {name}, input, overlap, catchupWindow, ...}`. Each fire's run id
        derives from the schedule and its nominal time, so a fire never starts two runs.
        """
        return self._schedule_command("POST", "/schedules", schedule)

    def get_schedule(self, schedule_id: str) -> dict[str, Any]:
        schedule: dict[str, Any] = self._request("GET", f"/schedules/{_segment(schedule_id)}")
        return schedule

    def fire_times(self, schedule_id: str, count: int = 5) -> list[str]:
        """The schedule's next nominal fire times, soonest first."""
        answer = self._request("GET", f"/schedules/{_segment(schedule_id)}/fire-times?count={int(count)}")
        return [str(time) for time in answer["fireTimes"]]

    def pause_schedule(self, schedule_id: str, reason: str | None = None) -> dict[str, Any]:
        body = {"reason": reason} if reason else {}
        return self._schedule_command("POST", f"/schedules/{_segment(schedule_id)}/pause", body)

    def resume_schedule(self, schedule_id: str) -> dict[str, Any]:
        """Resumes from now: fires that fell in the pause are not caught up."""
        return self._schedule_command("POST", f"/schedules/{_segment(schedule_id)}/resume", {})

    def trigger_schedule(self, schedule_id: str) -> list[str]:
        """Fires now, outside the calendar (the overlap policy applies); returns the ids of the runs it starts."""
        result = self._schedule_command("POST", f"/schedules/{_segment(schedule_id)}/trigger", {})
        return [str(fired["runId"]) for fired in result.get("fired", [])]

    def delete_schedule(self, schedule_id: str) -> None:
        self._request("DELETE", f"/schedules/{_segment(schedule_id)}")

    def _schedule_command(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = self._request(method, path, body=body)
        return result

    # -- transport ------------------------------------------------------------------------------

    def _build(self, method: str, path: str, body: Any, headers: Mapping[str, str]) -> urllib.request.Request:
        request = urllib.request.Request(f"{self.url}/api/v1{path}", method=method)
        request.add_header("Accept", "application/json")
        if self.api_key:
            request.add_header("Authorization", f"Bearer {self.api_key}")
        for key, value in headers.items():
            request.add_header(key, value)
        if body is not None:
            request.add_header("Content-Type", "application/json")
            request.data = json.dumps(body).encode("utf-8")
        return request

    def _request(self, method: str, path: str, *, body: Any = None, headers: Mapping[str, str] | None = None) -> Any:
        request = self._build(method, path, body, headers or {})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                content = response.read()
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        return json.loads(content) if content else {}


def _segment(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _api_error(error: urllib.error.HTTPError) -> ApiError:
    try:
        problem = json.loads(error.read() or b"{}")
    except ValueError:
        problem = {}
    return ApiError(error.code, problem if isinstance(problem, dict) else {})
