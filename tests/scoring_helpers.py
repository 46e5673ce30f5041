"""Build projects in memory for scoring tests: models from plain dicts, no files."""

from __future__ import annotations

from typing import Any

from okrctl.config import Config
from okrctl.loader import GoalFile
from okrctl.model import KpiFile, OkrFile
from okrctl.periods import parse_period
from okrctl.project import Project


def okrs(owner: str, period: str, objectives: list[dict[str, Any]], config: Config | None = None) -> GoalFile:
    data = {"kind": "okrs", "owner": owner, "period": period, "objectives": objectives}
    model = OkrFile.model_validate(data)
    fiscal = (config or Config()).fiscal_year_start
    return GoalFile(f"{owner}-{period}.yaml", "", data, model, parse_period(period, fiscal))


def kpis(owner: str, items: list[dict[str, Any]]) -> GoalFile:
    data = {"kind": "kpis", "owner": owner, "kpis": items}
    return GoalFile(f"{owner}-kpis.yaml", "", data, KpiFile.model_validate(data))


def objective(id: str, key_results: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"id": id, "title": f"Objective {id}", "key_results": key_results, **fields}


def metric(id: str, start: float, target: float, value: float | None = None, **fields: Any) -> dict[str, Any]:
    kr = {"id": id, "title": f"Move {id}", "start": start, "target": target, **fields}
    if value is not None:
        kr["current"] = value
    return kr


def project(*files: GoalFile) -> Project:
    return Project(list(files))
