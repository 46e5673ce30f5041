"""`okrctl.notify.events`: the events of a goals tree as of a day, pure — KPI bands between measurements
(with `consecutive` and `renotify_days`), stale KPIs and KPIs with no data, objectives falling off track and
back, reminders per owner, goal posts from history findings — and `since_filter`."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from okrctl.config import Config, EventKind, LintConfig
from okrctl.findings import Finding
from okrctl.git import Commit
from okrctl.loader import load_file
from okrctl.notify.events import Baseline, Cause, Event, events_of, goalpost_events, since_filter
from okrctl.project import Project

CONFIG = Config()


def project_of(tmp_path: Path, **files: str) -> Project:
    """The files (name → YAML) written under tmp_path and loaded as the commands load them."""
    loaded = []
    for name, text in files.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text))
        goal_file = load_file(path, CONFIG, explicit=True)
        assert goal_file is not None and goal_file.model is not None, name
        goal_file.load_history()
        loaded.append(goal_file)
    return Project(loaded)


def kpi_file(measurements: list[tuple[str, float]], frequency: str = "weekly") -> str:
    rows = "\n".join(f"      - {{date: {day}, value: {value}}}" for day, value in measurements)
    return f"""\
kind: kpis
owner: support
kpis:
  - id: csat
    title: Customer satisfaction
    owner: maria
    unit: /5
    frequency: {frequency}
    green: {{min: 4.5}}
    amber: {{min: 4.0}}
    measurements:
{rows}
"""


def kinds(events: list[Event], kind: str | None = None) -> list[tuple[str, str, str]]:
    return [(e.day.isoformat(), e.kind, e.transition) for e in events if kind is None or e.kind == kind]


def band_events(
    tmp_path: Path,
    rows: list[tuple[str, float]],
    as_of: str = "2026-11-23",
    consecutive: int = 1,
    renotify_days: int = 0,
) -> list[tuple[str, str, str]]:
    project = project_of(tmp_path, kpis=kpi_file(rows))
    found = events_of(project, CONFIG, date.fromisoformat(as_of), consecutive=consecutive, renotify_days=renotify_days)
    return kinds([e for e in found if e.kind != "stale"])


# -- bands ------------------------------------------------------------------------------------------


def test_bands_enter_amber_enter_red_and_recover_between_consecutive_measurements(tmp_path: Path) -> None:
    rows = [("2026-10-05", 4.6), ("2026-10-12", 4.2), ("2026-10-19", 3.9), ("2026-10-26", 4.1), ("2026-11-02", 4.7)]
    assert band_events(tmp_path, rows) == [
        ("2026-10-12", "enter_amber", "green→amber"),
        ("2026-10-19", "enter_red", "amber→red"),
        # red → amber (10-26) is no alert
        ("2026-11-02", "recover", "amber→green"),
    ]


def test_a_first_measurement_sets_where_a_kpi_starts_and_green_to_red_is_enter_red(tmp_path: Path) -> None:
    assert band_events(tmp_path, [("2026-10-05", 3.0), ("2026-10-12", 4.6), ("2026-10-19", 3.0)]) == [
        ("2026-10-12", "recover", "red→green"),
        ("2026-10-19", "enter_red", "green→red"),
    ]


def test_a_band_event_says_what_crossed_its_value_and_unit_bounds_date_and_owner(tmp_path: Path) -> None:
    project = project_of(tmp_path, kpis=kpi_file([("2026-10-05", 4.6), ("2026-10-12", 3.9)]))
    [event] = [e for e in events_of(project, CONFIG, date(2026, 10, 12)) if e.kind == "enter_red"]
    assert event.summary == (
        "Customer satisfaction (support/csat) entered red: 3.9 /5 on 2026-10-12 (green ≥ 4.5, amber ≥ 4); owner maria"
    )
    assert (event.ref, event.owner, event.value, event.unit, event.cause) == (
        "support/csat",
        "maria",
        3.9,
        "/5",
        "measurement",
    )
    assert event.bounds == (("green", 4.5, None), ("amber", 4.0, None))
    assert event.rows == (("support/csat", date(2026, 10, 12), 3.9),)
    assert event.path.endswith("kpis.yaml")


def test_only_measurements_up_to_the_as_of_date_count(tmp_path: Path) -> None:
    rows = [("2026-10-05", 4.6), ("2026-10-12", 3.9), ("2026-10-19", 4.6)]
    assert band_events(tmp_path, rows, as_of="2026-10-18") == [("2026-10-12", "enter_red", "green→red")]


def test_consecutive_fires_at_the_nth_measurement_in_a_row_in_the_new_band(tmp_path: Path) -> None:
    rows = [
        ("2026-10-05", 4.6),
        ("2026-10-06", 3.9),  # one red: a blip
        ("2026-10-07", 4.6),
        ("2026-10-08", 3.9),
        ("2026-10-09", 3.8),  # the second red in a row: green → red
        ("2026-10-10", 4.7),
        ("2026-10-11", 4.8),  # the second green in a row: recovered
    ]
    assert band_events(tmp_path, rows, consecutive=2) == [
        ("2026-10-09", "enter_red", "green→red"),
        ("2026-10-11", "recover", "red→green"),
    ]
    assert len(band_events(tmp_path, rows, consecutive=1)) == 4  # every change of band
    assert band_events(tmp_path, rows, consecutive=3) == []


def test_renotify_days_repeats_while_red_on_the_first_measurement_d_days_after_the_last(tmp_path: Path) -> None:
    rows = [
        ("2026-10-01", 4.6),
        ("2026-10-02", 3.0),
        ("2026-10-05", 3.1),
        ("2026-10-09", 3.2),  # 7 days after 10-02
        ("2026-10-10", 3.3),
        ("2026-10-20", 3.4),  # 11 days after 10-09
        ("2026-10-21", 4.6),
    ]
    assert band_events(tmp_path, rows, renotify_days=7) == [
        ("2026-10-02", "enter_red", "green→red"),
        ("2026-10-09", "enter_red", "still red"),
        ("2026-10-20", "enter_red", "still red"),
        ("2026-10-21", "recover", "red→green"),
    ]
    assert band_events(tmp_path, rows, renotify_days=0) == [
        ("2026-10-02", "enter_red", "green→red"),
        ("2026-10-21", "recover", "red→green"),
    ]


def test_renotify_days_repeats_while_amber_too(tmp_path: Path) -> None:
    rows = [("2026-10-01", 4.6), ("2026-10-02", 4.2), ("2026-10-12", 4.3)]
    assert band_events(tmp_path, rows, renotify_days=10) == [
        ("2026-10-02", "enter_amber", "green→amber"),
        ("2026-10-12", "enter_amber", "still amber"),
    ]


# -- stale ------------------------------------------------------------------------------------------


def test_a_kpi_becomes_stale_the_day_after_its_frequency_and_grace_and_is_renotified(tmp_path: Path) -> None:
    project = project_of(tmp_path, kpis=kpi_file([("2026-11-01", 4.6)]))
    # weekly (7) + stale_grace_days (2): stale from 2026-11-11
    assert kinds(events_of(project, CONFIG, date(2026, 11, 10)), "stale") == []
    assert kinds(events_of(project, CONFIG, date(2026, 11, 23)), "stale") == [("2026-11-11", "stale", "stale")]
    assert kinds(events_of(project, CONFIG, date(2026, 11, 23), renotify_days=5), "stale") == [
        ("2026-11-11", "stale", "stale"),
        ("2026-11-16", "stale", "still stale"),
        ("2026-11-21", "stale", "still stale"),
    ]
    [event] = [e for e in events_of(project, CONFIG, date(2026, 11, 23)) if e.kind == "stale"]
    assert event.cause == "time"
    assert "last measured on 2026-11-01 (4.6 /5)" in event.summary


def test_a_kpi_with_no_measurement_has_one_no_data_event_on_the_quarters_first_day(tmp_path: Path) -> None:
    text = kpi_file([("2026-12-01", 4.6)])  # after the as-of date: no data as of then
    project = project_of(tmp_path, kpis=text)
    assert kinds(events_of(project, CONFIG, date(2026, 11, 23)), "stale") == [("2026-10-01", "stale", "no data")]
    assert kinds(events_of(project, CONFIG, date(2026, 10, 20), renotify_days=10), "stale") == [
        ("2026-10-01", "stale", "no data"),
        ("2026-10-11", "stale", "still no data"),
    ]


def test_a_kpi_without_frequency_never_goes_stale(tmp_path: Path) -> None:
    text = kpi_file([("2026-01-05", 4.6)]).replace("    frequency: weekly\n", "")
    project = project_of(tmp_path, kpis=text)
    assert kinds(events_of(project, CONFIG, date(2026, 11, 23)), "stale") == []


# -- pace -------------------------------------------------------------------------------------------

OKRS = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: deals
        title: Close 100 deals
        start: 0
        target: 100
        checkins:
          - {date: 2026-10-05, value: 5}
          - {date: 2026-11-15, value: 60}
"""


def test_an_objective_falls_off_track_with_time_and_is_back_on_a_check_in(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=OKRS)
    events = [e for e in events_of(project, CONFIG, date(2026, 11, 23)) if e.kind == "off_track"]
    assert kinds(events) == [
        ("2026-11-09", "off_track", "at_risk→off_track"),  # found by bisection: no check-in in between
        ("2026-11-15", "off_track", "off_track→on_track"),
    ]
    fell, back = events
    assert fell.cause == "time" and fell.rows == ()
    assert "fell off track on 2026-11-09" in fell.summary and fell.ref == "sales/acquire" and fell.owner == "sales"
    assert back.cause == "checkin"
    assert back.rows == (("sales/acquire/deals", date(2026, 11, 15), 60),)
    assert "is back on track on 2026-11-15" in back.summary


def test_the_day_found_by_bisection_is_the_first_off_track_day(tmp_path: Path) -> None:
    from okrctl.scoring import Scorer

    project = project_of(tmp_path, sales=OKRS)
    [entry] = project.objectives
    assert Scorer(project, CONFIG, date(2026, 11, 8)).objective(entry).status == "at_risk"
    assert Scorer(project, CONFIG, date(2026, 11, 9)).objective(entry).status == "off_track"


def test_a_check_in_that_drops_the_pace_off_track_is_the_cause(tmp_path: Path) -> None:
    text = OKRS.replace(
        "{date: 2026-10-05, value: 5}", "{date: 2026-10-05, value: 5}\n          - {date: 2026-10-20, value: 50}"
    )
    text = text.replace("{date: 2026-11-15, value: 60}", "{date: 2026-11-05, value: 0}")
    project = project_of(tmp_path, sales=text)
    events = [e for e in events_of(project, CONFIG, date(2026, 11, 10)) if e.kind == "off_track"]
    assert kinds(events) == [("2026-11-05", "off_track", "on_track→off_track")]
    assert events[0].cause == "checkin"


def test_no_pace_event_outside_the_period(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=OKRS)
    assert [e for e in events_of(project, CONFIG, date(2026, 9, 30)) if e.kind == "off_track"] == []


# -- reminders --------------------------------------------------------------------------------------

REMINDED = """\
kind: okrs
period: 2026-Q4
owner: sales
objectives:
  - id: acquire
    title: Drive acquisition
    key_results:
      - id: deals
        title: Close 100 deals
        start: 0
        target: 100
        checkins:
          - {date: 2026-11-01, value: 50}
      - id: calls
        title: Make 500 calls
        start: 0
        target: 500
      - id: launch
        title: Launch the portal
        done: false
      - id: fresh
        title: Keep 10 demos
        start: 0
        target: 10
        checkins:
          - {date: 2026-11-20, value: 5}
"""


def test_a_reminder_per_owner_dated_when_the_earliest_key_result_became_overdue(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=REMINDED)
    [event] = [e for e in events_of(project, CONFIG, date(2026, 11, 23)) if e.kind == "reminder"]
    # calls: no check-in 14 days after 2026-10-01; deals: 14 days passed after 2026-11-01 (milestones are exempt)
    assert (event.ref, event.owner, event.day, event.transition, event.cause) == (
        "sales",
        "sales",
        date(2026, 10, 15),
        "overdue",
        "time",
    )
    assert event.details == (
        "sales/acquire/calls: check-in due since 2026-10-15",
        "sales/acquire/deals: check-in due since 2026-11-16",
    )
    assert "2 key results with no check-in in the last 14 days" in event.summary


def test_reminders_are_renotified_every_d_days_and_follow_checkin_days(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=REMINDED)
    reminders = kinds(events_of(project, CONFIG, date(2026, 11, 5), renotify_days=7), "reminder")
    assert reminders == [
        ("2026-10-15", "reminder", "overdue"),
        ("2026-10-22", "reminder", "still overdue"),
        ("2026-10-29", "reminder", "still overdue"),
        ("2026-11-05", "reminder", "still overdue"),
    ]
    longer = Config(lint=LintConfig(checkin_days=60))
    assert kinds(events_of(project, longer, date(2026, 11, 23)), "reminder") == []


def test_no_reminder_for_a_period_that_is_not_running(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=REMINDED)
    assert kinds(events_of(project, CONFIG, date(2027, 1, 10)), "reminder") == []


# -- goal posts and --since ---------------------------------------------------------------------------

COMMIT = Commit("a" * 40, 1_793_880_000, "Bo")  # 2026-11-05 (UTC)


def test_goal_post_findings_become_events_dated_by_their_commit(tmp_path: Path) -> None:
    project = project_of(tmp_path, sales=OKRS)
    moved = Finding(
        "sales.yaml", 12, 9, "OKR401", "target-moved", "warning", "target moved", COMMIT, "sales/acquire/deals"
    )
    other = Finding("sales.yaml", 3, 1, "OKR301", "stale-key-result", "warning", "stale")
    [event] = goalpost_events([moved, other], project)
    assert (event.kind, event.ref, event.day, event.commit, event.transition) == (
        "goalpost",
        "sales/acquire/deals",
        COMMIT.date,
        "a" * 40,
        "OKR401",
    )
    assert event.title == "Close 100 deals" and event.owner == "sales" and event.cause == "commit"
    assert event.summary == "Close 100 deals (sales/acquire/deals): target moved"


def event(kind: EventKind, cause: Cause, day: date, **fields: Any) -> Event:
    return Event(kind, "support/csat", day, "CSAT", "maria", "k.yaml", kind, "s", cause, **fields)


def test_since_keeps_only_what_was_caused_after_the_baseline() -> None:
    held = ("support/csat", date(2026, 11, 2), 3.9)
    baseline = Baseline(
        "b" * 40, date(2026, 11, 10), frozenset({held}), frozenset({"b" * 40, "c" * 40}), frozenset({"support/csat"})
    )
    old_row = event("enter_red", "measurement", date(2026, 11, 2), rows=(held,))
    new_row = event("recover", "measurement", date(2026, 11, 2), rows=(("support/csat", date(2026, 11, 2), 4.7),))
    old_commit = event("goalpost", "commit", date(2026, 11, 1), commit="c" * 40)
    new_commit = event("goalpost", "commit", date(2026, 11, 1), commit="d" * 40)
    uncommitted = event("goalpost", "commit", date(2026, 11, 1), commit="")
    on_the_day = event("stale", "time", date(2026, 11, 10))
    after = event("reminder", "time", date(2026, 11, 11))
    events = [old_row, new_row, old_commit, new_commit, uncommitted, on_the_day, after]
    assert since_filter(events, baseline) == [new_row, new_commit, uncommitted, after]
    # a goal the revision did not hold (a KPI added since): its time events are new whatever their day
    added = Event("stale", "support/new", date(2026, 10, 1), "New", "maria", "k.yaml", "no data", "s", "time")
    assert since_filter([added], baseline) == [added]


def test_fingerprints_are_stable_and_tell_events_apart() -> None:
    first = event("stale", "time", date(2026, 11, 10))
    assert first.fingerprint == event("stale", "time", date(2026, 11, 10)).fingerprint
    assert first.fingerprint != event("stale", "time", date(2026, 11, 11)).fingerprint
    assert len(first.fingerprint) == 16


def test_a_roll_up_follows_the_check_ins_of_the_objectives_aligned_below_it(tmp_path: Path) -> None:
    company = """\
    kind: okrs
    period: 2026-Q4
    owner: company
    objectives:
      - id: growth
        title: Grow
    """
    aligned = OKRS.replace(
        "    title: Drive acquisition\n", "    title: Drive acquisition\n    aligns_to: company/growth\n"
    )
    project = project_of(tmp_path, company=company, sales=aligned)
    events = [e for e in events_of(project, CONFIG, date(2026, 11, 23)) if e.ref == "company/growth"]
    assert kinds(events) == [
        ("2026-11-09", "off_track", "at_risk→off_track"),
        ("2026-11-15", "off_track", "off_track→on_track"),
    ]
    assert events[1].rows == (("sales/acquire/deals", date(2026, 11, 15), 60),)


def test_a_milestone_done_on_a_day_moves_the_pace_that_day(tmp_path: Path) -> None:
    text = OKRS.replace(
        "          - {date: 2026-11-15, value: 60}\n",
        "      - id: launch\n        title: Launch the portal\n        done: true\n        done_on: 2026-11-18\n",
    )
    project = project_of(tmp_path, sales=text)
    events = [e for e in events_of(project, CONFIG, date(2026, 11, 23)) if e.kind == "off_track"]
    # (0.05 + 0) / 2 falls off track in October; done on 11-18, (0.05 + 1) / 2 is back on track
    assert [(e.day, e.transition) for e in events][-1] == (date(2026, 11, 18), "off_track→on_track")
