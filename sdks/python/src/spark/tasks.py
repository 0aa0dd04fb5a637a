"""A registered task function: how it is called with a dispatch's input and how its value is sent back."""

from __future__ import annotations

import dataclasses
import inspect
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import NonRetryable

TaskFunction = Callable[..., Any]


def _pydantic_model(annotation: Any) -> Any:
    """The annotation when it is a pydantic model class (pydantic is optional)."""
    try:
        from pydantic import BaseModel
    except ImportError:  # pragma: no cover - without the extra
        return None
    return annotation if inspect.isclass(annotation) and issubclass(annotation, BaseModel) else None


@dataclass(frozen=True)
class TaskDefinition:
    name: str
    function: TaskFunction
    is_async: bool
    #: Whether the function takes the TaskContext as a second argument.
    takes_context: bool
    #: A pydantic model the input is validated into, from the first parameter's annotation.
    input_model: Any = None

    @classmethod
    def of(cls, name: str, function: TaskFunction) -> TaskDefinition:
        signature = inspect.signature(function)
        parameters = [
            p for p in signature.parameters.values() if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if not 1 <= len(parameters) <= 2 and not any(p.kind == p.VAR_POSITIONAL for p in signature.parameters.values()):
            raise TypeError(f'task "{name}": the function takes (input) or (input, ctx), not {signature}')
        try:
            hints = typing.get_type_hints(function)
        except Exception:  # unresolvable forward references: no model
            hints = {}
        model = _pydantic_model(hints.get(parameters[0].name)) if parameters else None
        return cls(
            name=name,
            function=function,
            is_async=inspect.iscoroutinefunction(function),
            takes_context=len(parameters) == 2,
            input_model=model,
        )

    def arguments(self, input: Any, context: Any) -> tuple[Any, ...]:
        value = input
        if self.input_model is not None:
            try:
                value = self.input_model.model_validate(input)
            except Exception as error:  # pydantic.ValidationError
                raise NonRetryable("INVALID_INPUT", str(error)) from error
        return (value, context) if self.takes_context else (value,)


def to_output(value: Any) -> Any:
    """The JSON value of a task's return value (pydantic models and dataclasses included)."""
    if hasattr(value, "model_dump") and callable(value.model_dump):
        value = value.model_dump(mode="json")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    try:
        # Round trip: tuples become lists, and anything that is not JSON fails here, not on Kafka.
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise NonRetryable("OUTPUT_NOT_JSON", f"the task's return value is not JSON: {error}") from error
