"""`okrctl init [DIR]`: a starter goals folder that lints clean, without ever overwriting a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from okrctl.config import load_config
from okrctl.errors import UserError
from okrctl.model import is_slug
from okrctl.paths import absolute_unresolved
from okrctl.periods import Period, PeriodError, parse_period, quarter_of
from okrctl.schema import SCHEMA_FILE, schema_text

CONFIG = """\
# okrctl configuration: this folder is the goals root. Every setting is optional; the common ones are shown
# here (the documentation of the config lists them all). Apart from fiscal_year_start and exclude, yours to choose, the values
# below are the defaults.
fiscal_year_start: {fiscal_year_start}          # the month your fiscal year starts in (7 = July: 2027-Q1 is Jul-Sep 2026)
exclude: ["archive/**"]       # folders and files to skip, relative to this folder
grades: {{green: 0.7, yellow: 0.4}}
pace: {{on_track: 0.10, at_risk: 0.25}}
stale_grace_days: 2
lint:
  ignore: []                  # rule codes (or prefixes such as OKR1) to switch off
  checkin_days: 14            # how long a key result may go without a check-in
# Where okrctl measure --from-sources reads KPI values (a KPI's query: names one); secrets only as env:NAME.
# datasources:
#   prom: {{type: prometheus, url: env:PROM_URL}}
#   exports: {{type: csv, path: metrics/kpis.csv}}
"""

OKRS = """\
# yaml-language-server: $schema={schema}
# {owner}'s OKRs for {period}. An objective says where to go; its key results say how you will know.
# Record progress with: okrctl checkin {owner}/reliability/incidents 9
kind: okrs
period: {period}
owner: {owner}
level: team
objectives:
  - id: reliability
    title: Make releases something nobody worries about
    type: aspirational        # a stretch: landing around 0.7 is healthy (committed: expected 1.0)
    guardrails: [{owner}/deploy-frequency]   # a KPI that must stay healthy while this moves
    key_results:
      - id: incidents
        title: Cut release incidents from 12 to 3 a quarter
        start: 12
        target: 3             # below start: a decrease
        unit: incidents{checkins_incidents}
      - id: rollback-time
        title: Bring rollback time down from 45 to 10 minutes
        start: 45
        target: 10
        unit: minutes{checkins_rollback}
      - id: test-coverage
        title: Keep test coverage at or above 80%
        at_least: 80          # a threshold: met while the value holds
        unit: "%"{checkins_coverage}
"""

KPIS = """\
# yaml-language-server: $schema={schema}
# {owner}'s KPIs: the health signals to watch continuously. A KPI has no period.
# Record a measurement with: okrctl measure {owner}/deploy-frequency 14
kind: kpis
owner: {owner}
kpis:
  - id: deploy-frequency
    title: Deploys to production per week
    owner: your-name          # the accountable person (a slug): put their name here
    unit: deploys
    definition: Successful production deploys in the ISO week
    source: CI/CD pipeline history
    frequency: weekly
    green: {{min: 10}}          # higher is better
    amber: {{min: 5}}           # must contain the green band
    measurements:
      - {{date: {today}, value: 12}}
"""


# The baseline check-ins of the starter key results: (key result, value, extra fields).
BASELINES = {
    "checkins_incidents": ("12", ", confidence: 0.6, note: baseline"),
    "checkins_rollback": ("45", ", note: baseline"),
    "checkins_coverage": ("78", ""),
}
NEXT_PERIOD_HINT_DAYS = 21  # this close to a quarter's end, init names the next quarter


@dataclass(frozen=True)
class InitOptions:
    folder: Path
    owner: str
    period: str | None = None  # default: the fiscal quarter of `today`
    today: date | None = None  # default: the real today (tests pass a fixed day)


def run(options: InitOptions) -> int:
    if not is_slug(options.owner):
        raise UserError(f"--owner {options.owner!r} is not a valid identifier: use lowercase letters, digits, - and _")
    if options.folder.exists() and not options.folder.is_dir():
        raise UserError(f"{options.folder} is not a folder")
    today = options.today or date.today()
    # The fiscal calendar of the config already there (in DIR or above it), so the label means the right days.
    fiscal = load_config(absolute_unresolved(options.folder)).config.fiscal_year_start
    current = quarter_of(today, fiscal)
    try:
        period = current if options.period is None else parse_period(options.period, fiscal)
    except PeriodError as error:
        raise UserError(f"--period: {error}") from None
    goals = Path("goals") / period.label / f"{options.owner}.yaml"
    kpis = Path("kpis") / f"{options.owner}.yaml"
    values = {"owner": options.owner, "period": period.label, "today": today.isoformat()}
    values |= _baselines(period, today)
    files = {
        Path("okrctl.yaml"): CONFIG.format(fiscal_year_start=fiscal),
        Path(SCHEMA_FILE): schema_text(),
        goals: OKRS.format(schema=_relative(goals), **values),
        kpis: KPIS.format(schema=_relative(kpis), **values),
    }
    for relative, content in files.items():
        path = options.folder / relative
        shown = path.as_posix()
        try:
            _make_folders(options.folder, relative.parent)
            with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
                stream.write(content)
            print(f"created {shown}")
        except FileExistsError:
            print(f"kept    {shown} (it exists; okrctl init never overwrites)")
        except OSError as error:
            raise UserError(f"cannot write {shown}: {error.strerror or error}") from None
    print(f"next: edit {(options.folder / goals).as_posix()}, then run okrctl lint {options.folder.as_posix()}")
    if options.period is None and (current.end - today).days < NEXT_PERIOD_HINT_DAYS:
        upcoming = quarter_of(current.end + timedelta(days=1), fiscal)
        print(
            f"hint: {current.label} ends on {current.end}; to plan the next quarter: okrctl init --period {upcoming.label}"
        )
    return 0


def _baselines(period: Period, today: date) -> dict[str, str]:
    """The starter key results' baseline check-ins, dated inside the period and never after today: today
    in a running period, its last day in an ended one, none for a period that has not started."""
    if today < period.start:
        return dict.fromkeys(BASELINES, "")
    day = min(today, period.end).isoformat()
    return {
        name: f"\n        checkins:\n          - {{date: {day}, value: {value}{extra}}}"
        for name, (value, extra) in BASELINES.items()
    }


def _relative(goal_file: Path) -> str:
    """The schema's path as seen from a goal file, for the editor's `$schema` line."""
    return Path(os.path.relpath(SCHEMA_FILE, goal_file.parent)).as_posix()


def _make_folders(folder: Path, relative: Path) -> None:
    """Make `folder / relative` one level at a time, never through a link: a committed `goals -> ../elsewhere`
    must not lead the starter files out of the folder init was asked to fill."""
    folder.mkdir(parents=True, exist_ok=True)  # the folder the user named is theirs, wherever it leads
    current = folder
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise UserError(
                f"{current.as_posix()} is a symbolic link: okrctl init writes inside {folder.as_posix()} only"
            )
        current.mkdir(exist_ok=True)
