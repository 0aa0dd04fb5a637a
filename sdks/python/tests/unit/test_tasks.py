from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from pydantic import BaseModel

from spark import NonRetryable
from spark.tasks import TaskDefinition, to_output


class Order(BaseModel):
    orderId: str
    amount: int


def test_the_signature_says_whether_the_task_takes_ctx_and_a_model() -> None:
    def plain(value: Any) -> Any:
        return value

    async def with_context(order: Order, ctx: Any) -> Any:
        return order

    first = TaskDefinition.of("plain", plain)
    assert (first.takes_context, first.is_async, first.input_model) == (False, False, None)
    second = TaskDefinition.of("with_context", with_context)
    assert (second.takes_context, second.is_async, second.input_model) == (True, True, Order)
    order, ctx = second.arguments({"orderId": "o-1", "amount": 3}, "ctx")
    assert order == Order(orderId="o-1", amount=3) and ctx == "ctx"
    assert first.arguments({"a": 1}, "ctx") == ({"a": 1},)


def test_input_that_does_not_fit_the_model_is_non_retryable() -> None:
    def task(order: Order) -> None: ...

    with pytest.raises(NonRetryable) as raised:
        TaskDefinition.of("t", task).arguments({"orderId": "o-1"}, None)
    assert raised.value.code == "INVALID_INPUT" and "amount" in raised.value.message


def test_a_function_with_other_arity_is_refused_when_registered() -> None:
    def nothing() -> None: ...

    def three(a: Any, b: Any, c: Any) -> None: ...

    for function in (nothing, three):
        with pytest.raises(TypeError, match="takes \\(input\\) or \\(input, ctx\\)"):
            TaskDefinition.of("t", function)


def test_outputs_become_json() -> None:
    @dataclasses.dataclass
    class Receipt:
        id: str
        lines: tuple[int, ...]

    assert to_output(Order(orderId="o", amount=1)) == {"orderId": "o", "amount": 1}
    assert to_output(Receipt("r", (1, 2))) == {"id": "r", "lines": [1, 2]}
    assert to_output(None) is None
    with pytest.raises(NonRetryable, match="not JSON"):
        to_output({"when": object()})
    with pytest.raises(NonRetryable):
        to_output(float("nan"))
