"""`okrctl.yaml`: the optional config at the goals root (SPEC section 1.3)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

CONFIG_NAME = "okrctl.yaml"

Severity = Literal["error", "warning"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Grades(_Strict):
    green: Annotated[float, Field(ge=0, le=1)] = 0.7
    yellow: Annotated[float, Field(ge=0, le=1)] = 0.4


class Pace(_Strict):
    on_track: Annotated[float, Field(ge=0, le=1)] = 0.10
    at_risk: Annotated[float, Field(ge=0, le=1)] = 0.25


class LintConfig(_Strict):
    ignore: list[str] = []
    severity: dict[str, Severity] = {}
    max_objectives: Annotated[int, Field(ge=1)] = 5
    min_key_results: Annotated[int, Field(ge=0)] = 2
    max_key_results: Annotated[int, Field(ge=1)] = 5
    max_kpis: Annotated[int, Field(ge=1)] = 10
    max_objective_words: Annotated[int, Field(ge=1)] = 12
    checkin_days: Annotated[int, Field(ge=1)] = 14


class Config(_Strict):
    fiscal_year_start: Annotated[int, Field(ge=1, le=12)] = 1
    exclude: list[str] = []
    grades: Grades = Grades()
    pace: Pace = Pace()
    stale_grace_days: Annotated[int, Field(ge=0)] = 2
    lint: LintConfig = LintConfig()


class LoadedConfig(BaseModel):
    """The config in force and the folder it came from (the goals root)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: Config
    root: Path
    path: Path | None


def find_config(start: Path) -> Path | None:
    """The nearest `okrctl.yaml` walking up from `start`."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def config_start(paths: list[Path]) -> Path:
    """Where the config search starts: the folder holding every given path, else the current directory.

    SPEC says "walking up from the current directory"; starting from the paths is the same when they are
    below it, and also right for `okrctl lint examples/acme` run from the repository root (as ruff does).
    """
    if not paths:
        return Path.cwd()
    folders = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    return Path(os.path.commonpath(folders))


def load_config(cwd: Path | None = None) -> LoadedConfig:
    """Find (from `cwd` upwards) and validate the config; a bad config is a UserError with its location."""
    from okrctl.errors import UserError
    from okrctl.loader import display_path, read_text
    from okrctl.validation import problems_from_validation
    from okrctl.yamlread import YamlSyntaxError, parse_yaml

    cwd = cwd or Path.cwd()
    path = find_config(cwd)
    if path is None:
        return LoadedConfig(config=Config(), root=cwd, path=None)
    shown = display_path(path)
    text, problem = read_text(path)
    if problem is not None:
        raise UserError(f"{shown}:{problem.line}:{problem.column}: bad config: {problem.message}")
    assert text is not None
    try:
        data = parse_yaml(text)
    except YamlSyntaxError as error:
        raise UserError(f"{shown}:{error.line}:{error.column}: bad config: {error.message}") from None
    if data is None:
        return LoadedConfig(config=Config(), root=path.parent, path=path)
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        first = problems_from_validation(error, data, Config, shown)[0]
        raise UserError(f"{shown}:{first.line}:{first.column}: bad config: {first.message}") from None
    _check_codes(config, shown)
    return LoadedConfig(config=config, root=path.parent, path=path)


def _check_codes(config: Config, shown: str) -> None:
    """Unknown rule codes in the config fail loudly (a typo would silently ignore nothing)."""
    from okrctl.errors import UserError
    from okrctl.rules import RULES, matching_codes

    for code in [*config.lint.ignore, *config.lint.severity]:
        if not matching_codes(code):
            known = ", ".join(sorted(RULES))
            raise UserError(f"{shown}: bad config: unknown rule code {code!r} (known: {known})")
