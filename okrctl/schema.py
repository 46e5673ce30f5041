"""The JSON Schema of goal files, generated from the models, for editors (yaml-language-server).

Pydantic writes draft 2020-12 with `$defs`; editors are surest with draft-07, so references go to
`definitions`, and the two kinds of file are told apart with draft-07's if/then/else on `kind`.
"""

from __future__ import annotations

import json
from typing import Any

from okrctl.key_result_kinds import KINDS, schema_description
from okrctl.model import KpiFile, OkrFile

SCHEMA_FILE = "okrctl.schema.json"
_REF_TEMPLATE = "#/definitions/{model}"


def _given(*names: str) -> dict[str, Any]:
    """A schema matching a mapping where each of `names` is present and not null (null counts as left out)."""
    return {"required": list(names), "properties": {name: {"not": {"type": "null"}} for name in names}}


def _one_kind() -> list[dict[str, Any]]:
    """Draft-07 constraints that say what OKR006 says: one kind, and where the value comes from once."""
    kinds = [kind.fields for kind in KINDS.values()]  # a key result sets fields of exactly one
    mixes = [_given(a, b) for i, first in enumerate(kinds) for second in kinds[i + 1 :] for a in first for b in second]
    one_source = [("current", "checkins"), ("kpi", "checkins"), ("kpi", "current")]
    # A kind without a target or threshold (a milestone) has nothing whose changes `rebaselined` could record.
    rebaselined = {"properties": {"rebaselined": {"type": "array", "minItems": 1}}, "required": ["rebaselined"]}
    rebaselined_without_target = [
        {"allOf": [_given(name), rebaselined]} for kind in KINDS.values() if not kind.has_target for name in kind.fields
    ]
    return [
        {"not": {"anyOf": mixes}},
        {"anyOf": [_given(name) for fields in kinds for name in fields]},
        *({"not": _given(*pair)} for pair in one_source),
        {"not": {"anyOf": rebaselined_without_target}},
    ]


def _drop_null_defaults(definition: dict[str, Any]) -> None:
    """An optional field is left out, not written as null: without the default, editors do not offer `null`."""
    for spec in definition.get("properties", {}).values():
        if "default" in spec and spec["default"] is None:
            del spec["default"]


def goal_file_schema() -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for model in (OkrFile, KpiFile):
        schema = model.model_json_schema(ref_template=_REF_TEMPLATE)
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
    for definition in definitions.values():
        _drop_null_defaults(definition)
    definitions["KeyResult"]["description"] = schema_description()
    definitions["KeyResult"]["allOf"] = _one_kind()
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "okrctl goal file (format v1)",
        "description": "An okrs file (kind: okrs) or a kpis file (kind: kpis) of okrctl.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"description": "okrs or kpis: what this file holds.", "enum": ["okrs", "kpis"]}},
        "if": {"properties": {"kind": {"const": "kpis"}}, "required": ["kind"]},
        "then": {"$ref": "#/definitions/KpiFile"},
        "else": {"$ref": "#/definitions/OkrFile"},
        "definitions": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    return json.dumps(goal_file_schema(), indent=2, ensure_ascii=False) + "\n"
