"""A lean goal file finds positions from its kept index exactly as the whole parse tree does, without the file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT

from okrctl.config import Config
from okrctl.loader import GoalFile, load_file
from okrctl.validation import position
from okrctl.yamlread import YamlMap, YamlSeq


def _locs(node: Any, loc: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every key and item of a parse tree, and, below each, one key and one index that are not there."""
    yield loc
    yield (*loc, "missing")
    yield (*loc, 999)
    yield (*loc, 0)
    if isinstance(node, YamlMap):
        for key in node:
            yield from _locs(node[key], (*loc, key))
    elif isinstance(node, YamlSeq):
        for index, item in enumerate(node):
            yield from _locs(item, (*loc, index))


def _goal_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.name != "okrctl.yaml")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    folder = tmp_path_factory.mktemp("generated")
    generate(folder, 3)
    return folder


def _lean_and_whole(path: Path) -> tuple[GoalFile, GoalFile] | None:
    whole = load_file(path, Config(), explicit=True)
    lean = load_file(path, Config(), explicit=True)
    if whole is None or lean is None or not isinstance(whole.data, YamlMap):
        return None
    lean.make_lean()
    assert lean.data is None and not lean.text and lean.positions
    return lean, whole


@pytest.mark.parametrize("where", ["acme", "bad", "generated"])
def test_every_position_of_a_lean_file_is_the_parse_trees(where: str, generated: Path) -> None:
    folder = generated if where == "generated" else EXAMPLES / where
    checked = 0
    for path in _goal_files(folder):
        pair = _lean_and_whole(path)
        if pair is None:
            continue
        lean, whole = pair
        for loc in _locs(whole.data):
            assert lean.position(loc) == position(whole.data, loc), (path.name, loc)
            checked += 1
    assert checked > 500


def test_a_lean_file_answers_without_its_file_except_inside_check_ins(tmp_path: Path) -> None:
    """Objectives, key results, their fields and where each check-in row starts come from the index; what is
    inside a check-in's row needs the text again."""
    source = EXAMPLES / "acme" / "goals" / "2026" / "sales.yaml"
    path = tmp_path / "sales.yaml"
    path.write_bytes(source.read_bytes())
    pair = _lean_and_whole(path)
    assert pair is not None
    lean, whole = pair
    kr = ("objectives", 0, "key_results", 0)
    assert whole.data["objectives"][0]["key_results"][0]["checkins"]  # the example has check-ins to point at
    path.unlink()  # gone from disk: what the index holds is still found
    kept = [("owner",), ("objectives", 0, "type"), (*kr, "target"), (*kr, "checkins"), (*kr, "checkins", 1)]
    for loc in [*kept, ("objectives", 7)]:
        assert lean.position(loc) == position(whole.data, loc)
    assert lean.data is None  # nothing was read back
    path.write_bytes(source.read_bytes())  # inside a check-in's row is not kept: the file is read again for it
    assert lean.position((*kr, "checkins", 1, "value")) == position(whole.data, (*kr, "checkins", 1, "value"))
    assert lean.data is not None
