"""Errors a task raises, and how any exception becomes a Spark `TaskError`."""

from __future__ import annotations

import re
from typing import Any, Literal, TypedDict

Classification = Literal["retryable", "non_retryable", "timeout", "cancelled"]


class TaskErrorBody(TypedDict, total=False):
    code: str
    message: str
    classification: Classification
    details: Any
    retryAfterMs: int


class TaskError(Exception):
    """Base of the errors a task raises on purpose: a stable `code`, a message, optional JSON details."""

    classification: Classification = "retryable"

    def __init__(self, code: str, message: str = "", details: Any = None) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message or code
        self.details = details


class Retryable(TaskError):
    """
    Try again, per the step's retry policy (e.g. a dependency was down). `retry_after` (seconds) is the
    earliest a retry can help, e.g. a rate-limited API's `Retry-After`: the retry waits at least that long,
    and at most the policy's `maxInterval`.
    """

    classification: Classification = "retryable"

    def __init__(self, code: str, message: str = "", details: Any = None, *, retry_after: float | None = None) -> None:
        super().__init__(code, message, details)
        if retry_after is not None and not retry_after >= 0:
            raise ValueError(f"retry_after must be a number of seconds >= 0, got {retry_after!r}")
        self.retry_after = retry_after


class NonRetryable(TaskError):
    """Retrying cannot help (bad input, a business rule refused): the step fails at once."""

    classification: Classification = "non_retryable"


MAX_MESSAGE_CHARS = 2000
_CODE = re.compile(r"[^A-Za-z0-9_.:-]")


def error_code_of(exception: BaseException) -> str:
    """The code of an exception that is not a TaskError: its type name (`ValueError`, `TimeoutError`)."""
    return _CODE.sub("_", type(exception).__name__) or "Exception"


def classify(exception: BaseException, *, cancelled: bool = False) -> TaskErrorBody:
    """
    The `error` of a `failed` result for an exception raised by a task. Any exception that is not a
    TaskError is retryable with its type name as the code; the step's retry policy (including its
    `nonRetryableErrors` codes) decides what happens next. An exception raised after the run was
    cancelled is classified `cancelled`.
    """
    if isinstance(exception, TaskError):
        body: TaskErrorBody = {
            "code": exception.code,
            "message": exception.message[:MAX_MESSAGE_CHARS],
            "classification": exception.classification,
        }
        if exception.details is not None:
            body["details"] = exception.details
        if isinstance(exception, Retryable) and exception.retry_after is not None:
            body["retryAfterMs"] = round(exception.retry_after * 1000)
    else:
        body = {
            "code": error_code_of(exception),
            "message": (str(exception) or type(exception).__name__)[:MAX_MESSAGE_CHARS],
            "classification": "retryable",
        }
    if cancelled:
        body["classification"] = "cancelled"
    return body
