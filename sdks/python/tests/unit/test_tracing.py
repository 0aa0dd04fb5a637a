from __future__ import annotations

import json

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from spark.messages import parse_dispatch
from spark.tracing import task_span, trace_headers_of

from .test_messages import DISPATCH

PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
# The process's tracer provider (it can be set once); nothing else in the unit tests sets one.
trace.set_tracer_provider(provider)


def test_the_task_span_continues_the_dispatchs_traceparent_and_results_carry_it() -> None:
    dispatch = parse_dispatch(json.dumps(DISPATCH))
    headers = trace_headers_of([("traceparent", PARENT.encode()), ("other", b"x")])
    assert headers == {"traceparent": PARENT}
    with task_span(dispatch, "charge", "spark.tasks.external.billing", headers) as span:
        assert span.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
        assert trace.get_current_span().get_span_context().trace_id == int("4bf92f3577b34da6a3ce929d0e0e4736", 16)
        (key, value), *_ = span.result_headers()
    assert key == "traceparent"
    _version, trace_id, span_id, _flags = value.decode().split("-")
    assert trace_id == "4bf92f3577b34da6a3ce929d0e0e4736" and span_id != "00f067aa0ba902b7"
    finished = exporter.get_finished_spans()[-1]
    assert finished.name == "spark.task charge"
    assert finished.parent is not None and format(finished.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert finished.attributes["spark.run.id"] == "run-7f3a"
