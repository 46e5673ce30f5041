"""`okrctl.yaml`: the optional config at the goals root; its folder is the goals root."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from okrctl.findings import Severity
from okrctl.paths import absolute_unresolved
from okrctl.scalars import Fraction, Number, describe

CONFIG_NAME = "okrctl.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _whole(value: object) -> int:
    # Strict like the goal files: `"7"` or `true` is refused rather than quietly converted.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {describe(value)}")
    return value


Whole = Annotated[int, PlainValidator(_whole)]
DAYS_LIMIT = 3660  # ten years: more is a typo, and a date that far off is past what Python's dates hold


class Grades(_Strict):
    green: Fraction = 0.7
    yellow: Fraction = 0.4


class Pace(_Strict):
    on_track: Fraction = 0.10
    at_risk: Fraction = 0.25


class LintConfig(_Strict):
    ignore: list[str] = []
    severity: dict[str, Severity] = {}
    max_objectives: Annotated[Whole, Field(ge=1)] = 5
    min_key_results: Annotated[Whole, Field(ge=0)] = 2
    max_key_results: Annotated[Whole, Field(ge=1)] = 5
    max_kpis: Annotated[Whole, Field(ge=1)] = 10
    max_objective_words: Annotated[Whole, Field(ge=1)] = 12
    checkin_days: Annotated[Whole, Field(ge=1, le=DAYS_LIMIT)] = 14
    history: StrictBool = False  # also run the history rules (OKR401-OKR405), as `lint --history` does


_SECRET_HINT = "secrets come from the environment: write env:VARIABLE and set that variable where okrctl runs"


class Datasource(_Strict):
    """Where `okrctl measure --from-sources` reads KPI values: a Prometheus server, a SQL database (the
    `okrctl[sql]` extra), a CSV file (rows kpi,date,value[,note]) or a command. A secret (a token, a URL or DSN
    holding credentials) is never written here: it is `env:VARIABLE`, read from the environment."""

    type: Literal["prometheus", "sql", "csv", "command"]
    url: str | None = None  # prometheus
    token: str | None = None  # prometheus: env:VARIABLE only
    dsn: str | None = None  # sql
    path: str | None = None  # csv: relative to the goals root
    timeout: Annotated[Number, Field(gt=0, le=600)] = 30.0  # seconds: a number, not "5"

    def model_post_init(self, context: Any, /) -> None:
        needs = {"prometheus": "url", "sql": "dsn", "csv": "path", "command": None}[self.type]
        for name in ("url", "token", "dsn", "path"):
            owner = _FIELD_OF.get(name)
            if getattr(self, name) is not None and owner != self.type:
                raise ValueError(f"{name} is for a {owner} datasource, not {self.type}")
        if needs is not None and getattr(self, needs) is None:
            raise ValueError(f"a {self.type} datasource needs {needs}")
        if self.token is not None and not self.token.startswith("env:"):
            raise ValueError(f"token: {_SECRET_HINT}")
        for name in ("url", "token", "dsn", "path"):
            value = getattr(self, name)
            if value is not None and value.startswith("env:") and not _ENV_NAME.fullmatch(value[len("env:") :]):
                raise ValueError(f"{name}: env: names an environment variable, e.g. env:PROM_URL")
        for name in ("url", "dsn"):
            value = getattr(self, name)
            if value is not None and not value.startswith("env:") and _holds_credentials(value):
                raise ValueError(f"{name} holds credentials: {_SECRET_HINT}")
        if self.url is not None and not self.url.startswith("env:") and not _is_http(self.url):
            raise ValueError("url: a Prometheus server's address, http:// or https://")


_FIELD_OF = {"url": "prometheus", "token": "prometheus", "dsn": "sql", "path": "csv"}


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Query parameters that carry a secret in a URL or DSN (`?password=…`, `?access_token=…`, `?api_key=…`).
_SECRET_WORDS = ("password", "passwd", "secret", "token")
_SECRET_NAMES = {"pwd", "pass", "key", "apikey", "api_key", "auth", "credential", "credentials"}


def _names_a_secret(parameter: str) -> bool:
    name = parameter.lower()
    return name in _SECRET_NAMES or any(word in name for word in _SECRET_WORDS)


def _holds_credentials(address: str) -> bool:
    """Whether a URL or DSN names a user or password (`https://user:secret@host`, `postgresql://u:p@db/x`), or
    a secret in its query (`?password=…`, `?token=…`)."""
    from urllib.parse import parse_qsl, urlsplit

    try:
        parts = urlsplit(address)
    except ValueError:
        return "@" in address
    in_query = any(_names_a_secret(name) for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return bool(parts.username or parts.password) or ("@" in parts.netloc) or in_query


def _is_http(address: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(address)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


# What `okrctl notify` tells (okrctl.notify.events): the kinds a rule's `on` names.
EventKind = Literal["enter_amber", "enter_red", "recover", "stale", "off_track", "goalpost", "reminder"]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)


class Channel(_Strict):
    """Where `okrctl notify` sends: a Slack incoming webhook, a Microsoft Teams Workflows webhook, any HTTP
    endpoint (a versioned JSON body with Alertmanager's field names), or any service Apprise knows (an Apprise
    URL, with the optional extra `okrctl[apprise]`). The URL is itself a secret: it is always `env:VARIABLE`."""

    type: Literal["slack", "teams", "webhook", "apprise"]
    url: str
    timeout: Annotated[Number, Field(gt=0, le=600)] = 10.0  # seconds

    def model_post_init(self, context: Any, /) -> None:
        if not self.url.startswith("env:") or not _ENV_NAME.fullmatch(self.url[len("env:") :]):
            raise ValueError(f"url: a webhook's address is a secret: {_SECRET_HINT}")


class NotifyRule(_Strict):
    """Which events go to which channel: the goals whose reference matches `match` (a glob: `support/*`),
    the event kinds in `on`, after `consecutive` measurements in a row (band events), again every
    `renotify_days` while the condition lasts (0: once)."""

    match: Annotated[str, Field(min_length=1)] = "*"  # "" would match nothing: a rule that silently sends nothing
    on: Annotated[list[EventKind], Field(min_length=1)] = list(get_args(EventKind))
    channel: str
    consecutive: Annotated[Whole, Field(ge=1, le=100)] = 1
    renotify_days: Annotated[Whole, Field(ge=0, le=DAYS_LIMIT)] = 0


class Notify(_Strict):
    channels: dict[str, Channel] = {}
    rules: list[NotifyRule] = []

    @field_validator("rules")
    @classmethod
    def _known_channels(cls, rules: list[NotifyRule], info: ValidationInfo) -> list[NotifyRule]:
        channels = info.data.get("channels", {})
        for number, rule in enumerate(rules):
            if rule.channel not in channels:
                known = ", ".join(sorted(channels)) or "none"
                raise ValueError(f"rule {number + 1}: channel {rule.channel!r} is not one of channels ({known})")
        return rules


class Config(_Strict):
    fiscal_year_start: Annotated[Whole, Field(ge=1, le=12)] = 1
    exclude: list[str] = []
    grades: Grades = Grades()
    pace: Pace = Pace()
    stale_grace_days: Annotated[Whole, Field(ge=0, le=DAYS_LIMIT)] = 2
    datasources: dict[str, Datasource] = {}  # name → where `measure --from-sources` reads values
    notify: Notify = Notify()  # where `okrctl notify` sends which events
    history_grace_days: Annotated[Whole, Field(ge=0, le=DAYS_LIMIT)] = 7  # a period's first days: planning
    backdate_days: Annotated[Whole, Field(ge=0, le=DAYS_LIMIT)] = 14  # how late a value may be committed
    lint: LintConfig = LintConfig()


# Pairs of settings whose order is what makes them mean something: (section, lower, higher).
_ORDERED = (
    ("grades", "yellow", "green"),
    ("pace", "on_track", "at_risk"),
    ("lint", "min_key_results", "max_key_results"),
)


class LoadedConfig(BaseModel):
    """The config in force and the folder it came from (the goals root)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: Config
    root: Path
    path: Path | None


_chosen_config: Path | None = None  # `--config PATH`: this file, rather than the nearest okrctl.yaml


def use_config_file(path: Path | None) -> None:
    """Make `path` the config of this run (`--config`); its folder is then the goals root."""
    global _chosen_config  # one run, one config: set once by the CLI, read by load_config
    _chosen_config = path


def chosen_config() -> Path | None:
    return _chosen_config


def find_config(start: Path) -> Path | None:
    """The nearest `okrctl.yaml` walking up from `start`."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def config_start(paths: list[Path]) -> Path:
    """Where the config search starts: the folder holding every given path, else the current directory.

    The config is the nearest one walking up from the current directory; starting from the paths is the same
    when they are below it, and also right for `okrctl lint examples/acme` run from the repository root (as
    ruff does).
    Symlinks are not resolved (a link to `/usr` named on the command line is a folder here), and when the
    paths spread above the current directory (`okrctl lint a.yaml /tmp/b.yaml`, whose common folder is `/`)
    the search starts from the current directory: the goals root is never above the nearest okrctl.yaml or
    the current directory.
    """
    cwd = Path.cwd()
    if not paths:
        return cwd
    folders = [absolute_unresolved(p if p.is_dir() else p.parent) for p in paths]
    start = Path(os.path.commonpath(folders))
    return cwd if start in cwd.parents else start


def load_config(cwd: Path | None = None) -> LoadedConfig:
    """Find (from `cwd` upwards) and validate the config; a bad config is a UserError with its location.

    With `--config PATH` (see `use_config_file`), that file is the config wherever the paths are.
    """
    from okrctl.errors import UserError

    cwd = cwd or Path.cwd()
    if _chosen_config is not None:
        if not _chosen_config.is_file():
            from okrctl.goal_bytes import display_path

            raise UserError(f"--config {display_path(_chosen_config)}: no such file")
        return load_config_file(absolute_unresolved(_chosen_config))
    path = find_config(cwd)
    if path is None:
        return LoadedConfig(config=Config(), root=cwd, path=None)
    return load_config_file(path)


def load_config_file(path: Path) -> LoadedConfig:
    """Read and validate the config at `path` (a UserError, located, when it is bad); its folder is the root."""
    from okrctl.errors import UserError
    from okrctl.goal_bytes import display_path, read_text

    shown = display_path(path)
    text, problem = read_text(path)
    if problem is not None:
        raise UserError(f"{shown}:{problem.line}:{problem.column}: bad config: {problem.message}")
    assert text is not None
    return config_from_text(text, shown, path)


def config_from_text(text: str, shown: str, path: Path) -> LoadedConfig:
    """Validate the config text of the file at `path`, shown as `shown` (a version from git history, say)."""
    from okrctl.errors import UserError
    from okrctl.validation import problems_from_validation
    from okrctl.yamlread import YamlSyntaxError, parse_yaml

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
    _check_order(config, data, shown)
    _check_codes(config, shown)
    return LoadedConfig(config=config, root=path.parent, path=path)


def _check_order(config: Config, data: Any, shown: str) -> None:
    """Thresholds that must keep their order (yellow below green…), else a grade or status could never occur."""
    from okrctl.errors import UserError
    from okrctl.validation import position

    for section, lower, higher in _ORDERED:
        values = getattr(config, section)
        if getattr(values, lower) > getattr(values, higher):
            given = data.get(section) if isinstance(data, dict) else None
            key = lower if isinstance(given, dict) and lower in given else higher
            line, column = position(data, [section, key])
            message = f"{section}.{lower} must be ≤ {section}.{higher}"
            raise UserError(f"{shown}:{line}:{column}: bad config: {message}")


def _check_codes(config: Config, shown: str) -> None:
    """Unknown rule codes in the config fail loudly (a typo would silently ignore nothing)."""
    codes = [*config.lint.ignore, *config.lint.severity]
    if not codes:
        return  # the rules (and the models they build on) are not loaded for nothing
    from okrctl.errors import UserError
    from okrctl.rules import RULES, matching_codes

    for code in codes:
        if not matching_codes(code):
            known = ", ".join(sorted(RULES))
            raise UserError(f"{shown}: bad config: unknown rule code {code!r} (known: {known})")
