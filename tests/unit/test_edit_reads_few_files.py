"""`okrctl checkin` and `okrctl measure` of one value read only the files that hold the reference's words (its
owner and ids): on a tree of thousands of files an edit parses a handful. A reference that is not found there
is looked for in the whole root, so the refusal still suggests what exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import okrctl

import okrctl.loader as loader


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "kpis").mkdir()
    (tmp_path / "goals").mkdir()
    for n in range(20):
        (tmp_path / "kpis" / f"team-{n:02}.yaml").write_text(
            f"kind: kpis\nowner: team-{n:02}\nkpis:\n  - id: queue\n    title: Queue\n    measurements: []\n"
        )
        (tmp_path / "goals" / f"team-{n:02}.yaml").write_text(
            f"kind: okrs\nperiod: 2026-Q4\nowner: team-{n:02}\nobjectives:\n  - id: ship\n    title: Ship it\n"
            "    key_results:\n      - {id: done, title: Ship the release, start: 0, target: 10, checkins: []}\n"
            "      - {id: more, title: Ship more releases, start: 0, target: 10, checkins: []}\n"
        )
    return tmp_path


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    loaded: list[str] = []
    real = loader.load_file

    def counted(path: Path, *args: Any, **kwargs: Any) -> object:
        loaded.append(Path(path).name)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(loader, "load_file", counted)
    return loaded


def test_a_measurement_reads_the_kpi_file_alone(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _counting(monkeypatch)
    done = okrctl("measure", "team-07/queue", "12", "--date", "2026-11-20", cwd=tree)
    assert done.code == 0, done.err
    assert set(loaded) == {"team-07.yaml"} and len(loaded) <= 3  # found, then read again under the lock
    assert "measurements:\n      - {date: 2026-11-20, value: 12}\n" in (tree / "kpis" / "team-07.yaml").read_text()


def test_a_checkin_reads_the_okrs_file_alone(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = _counting(monkeypatch)
    done = okrctl("checkin", "team-03/ship/done", "4", "--date", "2026-11-20", cwd=tree)
    assert done.code == 0, done.err
    assert set(loaded) == {"team-03.yaml"}


def test_a_reference_not_found_is_looked_for_everywhere_for_the_suggestion(tree: Path) -> None:
    done = okrctl("measure", "team-07/queu", "12", cwd=tree)
    assert done.code == 2 and "no KPI 'team-07/queu'" in done.err and "team-07/queue" in done.err
