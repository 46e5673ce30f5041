"""Turn pydantic errors into located, readable problems.

A pydantic error's `loc` is walked through the positioned YAML tree (as rendercv does through
`CommentedMap.lc`), so each problem points at the key or list item at fault.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from typing_extensions import is_typeddict

from okrctl.findings import Problem
from okrctl.scalars import describe
from okrctl.yamlread import Pos, YamlMap, YamlSeq


def position(data: Any, loc: Sequence[str | int]) -> Pos:
    """Position of the key or item at `loc`, or of the nearest enclosing one that exists."""
    node = data
    pos: Pos = getattr(data, "pos", (1, 1))
    for part in loc:
        if isinstance(node, YamlMap) and isinstance(part, str) and part in node.key_pos:
            pos = node.key_pos[part]
            node = node[part]
        elif isinstance(node, YamlSeq) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.item_pos[part]
            node = node[part]
        else:
            break
    return pos


def dotted(loc: Sequence[str | int]) -> str:
    """`objectives[0].key_results[2].target`"""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _field_names(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return list(typing.get_type_hints(model)) if is_typeddict(model) else []


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> Any:
    """The model (or TypedDict) that validates the mapping at `loc`, to suggest its field names."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current


def _inner_model(annotation: Any) -> Any:
    """Unwrap Optional, list and Annotated down to a model class, if there is one."""
    if (isinstance(annotation, type) and issubclass(annotation, BaseModel)) or is_typeddict(annotation):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner_model(typing.get_args(annotation)[0])
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner_model(arg)
            if found is not None:
                return found
    return None


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like `word`, if one is close enough to be the word the user meant."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    match = closest(word, choices)
    return f" (did you mean {match!r}?)" if match else ""


def did_you_mean_ref(ref: str, refs: Sequence[str]) -> str:
    """Suggest a reference by its last part among those of the same owner, else by the whole reference.

    Comparing whole references would suggest `support/csat` for `support/nps`: the shared owner dominates.
    """
    owner, _, name = ref.rpartition("/")
    same_owner = {r.rpartition("/")[2]: r for r in refs if r.rpartition("/")[0] == owner}
    if same_owner:
        match = closest(name, same_owner)
        return f" (did you mean {same_owner[match]!r}?)" if match else ""
    return did_you_mean(ref, refs)


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    loc = error["loc"]
    error_type = error["type"]
    field = str(loc[-1]) if loc and isinstance(loc[-1], str) else None
    where = dotted(loc)
    if error_type == "extra_forbidden" and field is not None:
        known = _field_names(_model_at(model, loc[:-1]))
        hint = did_you_mean(field, known)
        allowed = f"; allowed here: {', '.join(known)}" if known and not hint else ""
        return f"unknown field {field!r}{hint}{allowed}"
    if error_type == "missing" and field is not None:
        parent = dotted(loc[:-1])
        return f"missing required field {field!r}" + (f" in {parent}" if parent else "")
    value = error.get("input")
    if error_type == "value_error":
        text = error["msg"].removeprefix("Value error, ")
    elif error_type == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        text = f"expected one of {expected}, got {describe(value)}"
        if isinstance(value, str):
            choices = [c.strip(" '") for c in str(expected).replace(" or ", ", ").split(",")]
            text += did_you_mean(value.strip().lower(), choices)
    elif error_type in ("string_type", "list_type", "model_type", "dict_type", "model_attributes_type"):
        wanted = {"string_type": "text", "list_type": "a list"}.get(error_type, "a mapping")
        text = f"expected {wanted}, got {describe(value)}"
        if error_type == "string_type" and isinstance(value, int | float | bool):
            text += " (quote it)"
    elif error_type == "too_short" and isinstance(value, list | str):
        text = "must not be empty"
    else:
        text = error["msg"]
    return f"{where}: {text}" if where else text


def problems_from_validation(error: ValidationError, data: Any, model: type[BaseModel], path: str) -> list[Problem]:
    """One located problem per pydantic error, in file order."""
    problems = []
    for details in error.errors(include_url=False):
        line, column = position(data, details["loc"])
        problems.append(Problem(path, line, column, _message(details, model)))
    return sorted(set(problems))
