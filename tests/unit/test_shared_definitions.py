"""Things defined once and used in several places: YAML's null spellings (read and edit), the JSON version."""

from __future__ import annotations

import json

import pytest

from okrctl.cli import app
from okrctl.editing import insert_item
from okrctl.splice import Document, apply
from okrctl.yamlread import parse_yaml


@pytest.mark.parametrize("empty", ["", " ~", " null", " Null", " NULL"])
def test_a_first_checkin_replaces_any_null_the_reader_takes_for_no_list(empty: str) -> None:
    text = f"kr:\n  id: a\n  checkins:{empty}\n"
    assert parse_yaml(text)["kr"]["checkins"] is None
    splice = insert_item(Document(text), ["kr"], "checkins", [("date", "2026-01-01"), ("value", "3")], None)
    assert apply(text, [splice]) == "kr:\n  id: a\n  checkins:\n    - {date: 2026-01-01, value: 3}\n"  # as fmt does


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    with pytest.raises(SystemExit):
        app([*args, "--format", "json", "--as-of", "2026-11-20"], prog_name="okrctl")
    document = json.loads(capsys.readouterr().out)
    assert isinstance(document, dict)
    return document


def test_every_json_document_has_the_same_format_version(capsys: pytest.CaptureFixture[str]) -> None:
    versions = {command: _json(capsys, command, "examples/acme")["version"] for command in ("lint", "score", "kpis")}
    assert versions == {"lint": 1, "score": 1, "kpis": 1}
