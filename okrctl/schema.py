"""The JSON Schema of goal files, generated from the models, for editors (yaml-language-server).

Pydantic writes draft 2020-12 with `$defs`; editors are surest with draft-07, so references go to
`definitions`, and the two kinds of file are told apart with draft-07's if/then/else on `kind`.
"""

from __future__ import annotations

import json
from typing import Any

from okrctl.model import KpiFile, OkrFile

SCHEMA_FILE = "okrctl.schema.json"
_REF_TEMPLATE = "#/definitions/{model}"


def goal_file_schema() -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for model in (OkrFile, KpiFile):
        schema = model.model_json_schema(ref_template=_REF_TEMPLATE)
        definitions.update(schema.pop("$defs", {}))
        definitions[model.__name__] = schema
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
