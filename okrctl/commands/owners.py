"""`okrctl owners`: who owns goals in the tree, with their periods and KPI counts (for --owner)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from okrctl.commands.common import load_root
from okrctl.model import KpiFile, OkrFile


@dataclass
class OwnerEntry:
    owner: str
    periods: set[str] = field(default_factory=set)
    kpis: int = 0
    files: int = 0


def owners(paths: list[Path], jobs: int = 1, use_cache: bool = True) -> list[OwnerEntry]:
    """Every owner of a valid goal file under `paths`, by name; a file with errors counts by the owner it
    claims (`okrctl lint` says what is wrong with it)."""
    from datetime import date

    found: dict[str, OwnerEntry] = {}
    for file in load_root(paths, date.today(), jobs, use_cache).files:
        model = file.model
        name = model.owner if isinstance(model, OkrFile | KpiFile) else file.owner_hint
        if not isinstance(name, str):
            continue
        entry = found.setdefault(name, OwnerEntry(name))
        entry.files += 1
        if isinstance(model, OkrFile) and file.period is not None:
            entry.periods.add(file.period.label)
        elif isinstance(model, KpiFile):
            entry.kpis += len(model.kpis)
    return [found[name] for name in sorted(found)]


def run(paths: list[Path], output_format: str, jobs: int, use_cache: bool) -> int:
    entries = owners(paths, jobs, use_cache)
    if output_format == "json":
        document = [{"owner": e.owner, "periods": sorted(e.periods), "kpis": e.kpis, "files": e.files} for e in entries]
        sys.stdout.write(json.dumps({"version": 1, "owners": document}, indent=2, ensure_ascii=False) + "\n")
        return 0
    width = max((len(e.owner) for e in entries), default=0)
    for e in entries:
        periods = ", ".join(sorted(e.periods)) or "-"
        print(f"{e.owner:<{width}}  periods: {periods}  KPIs: {e.kpis}")
    return 0
