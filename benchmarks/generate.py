"""Generate a deterministic synthetic goals tree in the okrctl format, for benchmarks.

    python benchmarks/generate.py OUT --teams 1000
    python benchmarks/generate.py OUT --teams 1000 --history   # and make OUT a git repository of its quarter

Per team: an okrs file for 2026-Q4 (3-5 objectives of 3-5 key results with 4-12 check-ins, aligned to its
department) and a kpis file (3-8 KPIs of 10-50 weekly measurements); plus a company file and one file per
ten teams for departments. Comments are included, as people write them. The same seed gives the same bytes.
About 26 MB for 1,000 teams.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

QUARTER_START = date(2026, 10, 1)
LAST_CHECKIN = date(2026, 11, 20)
LAST_MEASUREMENT = date(2026, 11, 16)
DIRECTIONS = ["Win the market we chose", "Delight the customers we have", "Run an efficient, calm business"]
UNITS = ["USD", '"%"', "days", "users", "ms"]
VERBS = ["Grow", "Raise", "Cut", "Reduce", "Increase", "Lift", "Lower", "Double"]
THINGS = ["weekly active teams", "trial conversion", "time to first value", "p95 latency", "support backlog",
          "net revenue retention", "deploy frequency", "onboarding completion", "invoice accuracy", "churn"]  # fmt: skip
NOTES = ["on plan, no surprises this week", "two enterprise deals slipped to December",
         "new pipeline from the webinar with the partner", "holiday week, fewer sessions than usual",
         "data fixed after the audit of the tracking plan", "retries enabled on the payment service",
         "pricing test running in two regions", "migration done, old dashboards retired"]  # fmt: skip


def _number(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), rng.choice([0, 0, 1, 2]))


def _value(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def okrs_file(rng: random.Random, team: str, department: str) -> str:
    lines = [
        f"# {team}: OKRs for 2026-Q4, agreed at the quarterly planning.",
        "# Check in every week; okrctl checkin keeps this file tidy.",
        "kind: okrs",
        "period: 2026-Q4",
        f"owner: {team}",
        "level: team",
        "objectives:",
    ]
    for o in range(rng.randint(3, 5)):
        lines += [
            f"  # Objective {o + 1}: owned by the whole team, reviewed every Monday in the team meeting.",
            f"  - id: objective-{o + 1}",
            f"    title: Make {rng.choice(THINGS)} something customers notice",
            f"    aligns_to: {department}/objective-{rng.randint(1, 3)}",
        ]
        if rng.random() < 0.3:
            lines.append("    type: committed   # promised to another team")
        if rng.random() < 0.4:
            lines.append(f"    guardrails: [{team}/kpi-1]")
        lines.append("    key_results:")
        for k in range(rng.randint(3, 5)):
            start = _number(rng, 10, 1000)
            target = round(start * rng.uniform(0.4, 2.5), 1) or start + 1
            if target == start:
                target = start + 1
            lines += [
                f"      - id: kr-{k + 1}",
                f"        title: {rng.choice(VERBS)} {rng.choice(THINGS)} from {_value(start)} to {_value(target)}",
                f"        start: {_value(start)}",
                f"        target: {_value(target)}",
                f"        unit: {rng.choice(UNITS)}",
            ]
            if rng.random() < 0.2:
                lines.append(f"        weight: {rng.choice([2, 3, 0.5])}")
            lines.append("        checkins:")
            count = rng.randint(4, 12)
            days = sorted(rng.sample(range((LAST_CHECKIN - QUARTER_START).days + 1), count))
            days[-1] = (LAST_CHECKIN - QUARTER_START).days
            for i, day in enumerate(days):
                value = start + (target - start) * (i + 1) / (count + 3) * rng.uniform(0.7, 1.2)
                item = f"{{date: {QUARTER_START + timedelta(days=day)}, value: {_value(round(value, 2))}"
                if rng.random() < 0.3:
                    item += f", confidence: {rng.choice(['0.5', '0.6', '0.7', '0.8'])}"
                if rng.random() < 0.7:
                    item += f', note: "{rng.choice(NOTES)}"'
                lines.append(f"          - {item}}}")
    return "\n".join(lines) + "\n"


def kpis_file(rng: random.Random, team: str) -> str:
    lines = [f"# {team}: health metrics, refreshed every Monday.", "kind: kpis", f"owner: {team}", "kpis:"]
    for k in range(rng.randint(3, 8)):
        base = _number(rng, 10, 10000)
        higher = rng.random() < 0.7
        bound, amber = ("min", base * 0.9) if higher else ("max", base * 1.1)
        lines += [
            f"  - id: kpi-{k + 1}",
            f"    title: {rng.choice(THINGS).capitalize()} ({team})",
            f"    owner: owner-{rng.randint(1, 500)}",
            f"    unit: {rng.choice(UNITS)}",
            f"    definition: Weekly {rng.choice(THINGS)} measured the same way since 2025",
            "    source: Data warehouse, table metrics.weekly",
            "    frequency: weekly",
            f"    green: {{{bound}: {_value(round(base, 1))}}}",
            f"    amber: {{{bound}: {_value(round(amber, 1))}}}",
            "    measurements:",
        ]
        count = rng.randint(10, 50)
        for w in range(count, 0, -1):
            day = LAST_MEASUREMENT - timedelta(weeks=w - 1)
            value = round(base * rng.uniform(0.8, 1.2), 2)
            note = f', note: "{rng.choice(NOTES)}"' if rng.random() < 0.3 else ""
            lines.append(f"      - {{date: {day}, value: {_value(value)}{note}}}")
    return "\n".join(lines) + "\n"


def alignment_file(owner: str, level: str, parent: str | None) -> str:
    lines = ["kind: okrs", "period: 2026-Q4", f"owner: {owner}", f"level: {level}", "objectives:"]
    for o in range(1, 4):
        lines += [f"  - id: objective-{o}", f"    title: {DIRECTIONS[o - 1]}"]
        if parent:
            lines.append(f"    aligns_to: {parent}/objective-{o}")
    return "\n".join(lines) + "\n"


def tree_files(teams: int, seed: int = 2026) -> dict[str, str]:
    """The tree's files, path (relative, with `/`) to text, in the order they are generated."""
    rng = random.Random(seed)
    files = {"okrctl.yaml": "fiscal_year_start: 1\n", "goals/company.yaml": alignment_file("company", "company", None)}
    for d in range((teams + 9) // 10):
        files[f"goals/department-{d + 1:03d}.yaml"] = alignment_file(f"department-{d + 1:03d}", "department", "company")
    for t in range(teams):
        team = f"team-{t + 1:04d}"
        department = f"department-{t // 10 + 1:03d}"
        files[f"goals/{team}.yaml"] = okrs_file(rng, team, department)
        files[f"kpis/{team}.yaml"] = kpis_file(rng, team)
    return files


def write_tree(out: Path, files: dict[str, str]) -> None:
    (out / "goals").mkdir(parents=True, exist_ok=True)
    (out / "kpis").mkdir(exist_ok=True)
    for path, text in files.items():
        (out / path).write_text(text)


def generate(out: Path, teams: int, seed: int = 2026) -> None:
    write_tree(out, tree_files(teams, seed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--history", action="store_true", help="also make OUT a git repository of the quarter (see history.py)"
    )
    arguments = parser.parse_args()
    if not arguments.history:
        generate(arguments.out, arguments.teams, arguments.seed)
        return
    from history import BACKDATE_DAYS, generate_history  # history.py sits beside this script

    built = generate_history(arguments.out, arguments.teams, arguments.seed)
    print(
        f"{arguments.out}: {built.commits:,} commits, {built.versions:,} file versions"
        f" ({built.text_bytes / 1e6:.1f} MB of text), packed {built.packed_bytes / 1e6:.1f} MB, {built.seconds:.1f} s"
    )
    print(f"targets lowered mid-quarter: {', '.join(built.moved)}")
    print(f"check-ins of {built.backdated[1]} by {built.backdated[0]} committed {BACKDATE_DAYS} days later")


if __name__ == "__main__":
    main()
