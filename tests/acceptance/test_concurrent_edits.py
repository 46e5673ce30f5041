"""Edits from several real processes at once: the per-file lock lets every one of them land."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import _okrctl_command, okrctl
from edit_samples import KPIS, OKRS


@pytest.fixture
def goals(tmp_path: Path) -> Path:
    (tmp_path / "okrs.yaml").write_text(OKRS, encoding="utf-8")
    (tmp_path / "kpis.yaml").write_text(KPIS, encoding="utf-8")
    return tmp_path


def test_concurrent_checkins_of_one_file_all_land(goals: Path) -> None:
    days = [f"2026-11-{day:02d}" for day in range(11, 19)]
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    processes = [
        subprocess.Popen(
            [*_okrctl_command(), "checkin", "ops/rel/lat", str(300 + i), "--date", day],
            cwd=goals,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, day in enumerate(days)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [(code, err) for code, _, err in results] == [(0, "")] * len(days)
    text = (goals / "okrs.yaml").read_text()
    for i, day in enumerate(days):
        assert f"          - {{date: {day}, value: {300 + i}}}\n" in text
    assert sorted(p.name for p in goals.iterdir()) == ["kpis.yaml", "okrs.yaml"]  # no lock or temporary file left
    assert okrctl("lint", "--as-of", "2026-11-23", cwd=goals).code == 0
