"""
OpenTelemetry, when installed (the `otel` extra): a task runs in a span whose parent is the dispatch's
`traceparent`, and its results carry that span's context, so a run reads as one trace through the
worker. Without OpenTelemetry the dispatch's `traceparent` is copied onto the results unchanged.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from .messages import TaskDispatch

log = logging.getLogger("spark.worker")

try:
    from opentelemetry import trace
    from opentelemetry.trace import SpanKind, Status, StatusCode
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    _propagator: Any = TraceContextTextMapPropagator()
except ImportError:  # pragma: no cover - without the extra
    trace = None  # type: ignore[assignment]


def enabled() -> bool:
    return trace is not None


Headers = list[tuple[str, "str | bytes | None"]]


def trace_headers_of(headers: Any) -> dict[str, str]:
    """`traceparent`/`tracestate` from a Kafka message's headers."""
    found: dict[str, str] = {}
    for key, value in headers or []:
        if key in ("traceparent", "tracestate") and value is not None:
            found[key] = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return found


class TaskSpan:
    """The span of one attempt (a no-op without OpenTelemetry) and the headers its results carry."""

    def __init__(self, incoming: dict[str, str]) -> None:
        self.incoming = incoming
        self.span: Any = None

    def result_headers(self) -> Headers:
        carrier: dict[str, str] = {}
        if self.span is not None:
            _propagator.inject(carrier, context=trace.set_span_in_context(self.span))
        if "traceparent" not in carrier:
            carrier = dict(self.incoming)
        return [(key, value.encode()) for key, value in carrier.items()]

    @property
    def trace_id(self) -> str | None:
        if self.span is not None:
            span_context = self.span.get_span_context()
            if span_context.is_valid:
                return format(span_context.trace_id, "032x")
        parent = self.incoming.get("traceparent", "")
        parts = parent.split("-")
        return parts[1] if len(parts) == 4 else None

    def failed(self, error: BaseException) -> None:
        if self.span is not None:
            self.span.record_exception(error)
            self.span.set_status(Status(StatusCode.ERROR, str(error)))


@contextlib.contextmanager
def task_span(dispatch: TaskDispatch, task_name: str, topic: str, incoming: dict[str, str]) -> Iterator[TaskSpan]:
    """Runs the block in the attempt's span, the current span for the task's own instrumentation."""
    span = TaskSpan(incoming)
    if trace is None:
        yield span
        return
    parent = _propagator.extract(incoming)
    tracer = trace.get_tracer("spark.worker")
    with tracer.start_as_current_span(
        f"spark.task {task_name}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "spark.run.id": dispatch.run_id,
            "spark.step.id": dispatch.step_id,
            "spark.task.attempt": dispatch.attempt,
            "spark.task.name": task_name,
            "spark.workflow.name": dispatch.workflow_name,
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.operation.type": "process",
        },
        record_exception=False,
        set_status_on_exception=False,
    ) as current:
        span.span = current
        yield span


def configure_exporter(service_name: str) -> bool:
    """
    Exports spans over OTLP/HTTP to SPARK_OTLP_ENDPOINT (e.g. http://127.0.0.1:14318) when it is set
    and the OpenTelemetry SDK and exporter are installed; what `spark-worker run` does. Returns
    whether it did. Applications that configure OpenTelemetry themselves skip this.
    """
    endpoint = os.environ.get("SPARK_OTLP_ENDPOINT")
    if not endpoint or trace is None:
        return False
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning("SPARK_OTLP_ENDPOINT is set but the OpenTelemetry SDK is not installed (extra: otel)")
        return False
    provider = TracerProvider(resource=Resource.create({"service.name": service_name, "service.namespace": "spark"}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces"), schedule_delay_millis=500)
    )
    trace.set_tracer_provider(provider)
    return True


def shutdown_exporter() -> None:
    if trace is None:
        return
    provider = trace.get_tracer_provider()
    shutdown = getattr(provider, "shutdown", None)
    if callable(shutdown):
        shutdown()


__all__ = ["TaskSpan", "configure_exporter", "enabled", "shutdown_exporter", "task_span", "trace_headers_of"]
