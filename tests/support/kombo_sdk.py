"""Responses checked against the official `kombo` SDK's models, strictly.

The SDK's models accept keys they do not declare, so parsing alone would let an extra or a
misspelt field through: every object must carry exactly the keys its model declares, nested
objects included, and parse with the SDK's own validation.
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel


def assert_kombo_shape(model: type[BaseModel], value: Any) -> None:
    model.model_validate(value)
    _assert_keys(model, value, "$")


def _assert_keys(model: type[BaseModel], value: Any, path: str) -> None:
    assert isinstance(value, dict), f"{path}: expected an object, got {value!r}"
    declared = {info.alias or name: info.annotation for name, info in model.model_fields.items()}
    assert set(value) == set(declared), (
        f"{path}: extra keys {set(value) - set(declared)}, "
        f"missing keys {set(declared) - set(value)}"
    )
    for key, annotation in declared.items():
        inner = _model_in(annotation)
        nested = value[key]
        if inner is None or nested is None:
            continue
        for index, item in enumerate(nested if isinstance(nested, list) else [nested]):
            _assert_keys(inner, item, f"{path}.{key}[{index}]")


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The SDK model inside `Nullable[...]`, `List[...]`, `OptionalNullable[...]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
