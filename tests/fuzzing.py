"""A fuzzer: hostile goal trees, each run through every read command in-process.

Each case is a small goals tree (one to three goal files, sometimes an `okrctl.yaml`) made from a seeded
random generator, so case N is the same on every machine and a failure names the case that reproduces it:

    .venv/bin/python tests/fuzzing.py 1234 /tmp/case    # write case 1234 into /tmp/case and check it there

Inputs are built two ways: mutations of the shipped example files (hostile scalars, deleted, duplicated and
re-indented lines, stray bytes, truncation, other encodings, deep nesting, anchors) and goal files generated
from scratch with hostile numbers (zero ranges, huge weights, 400-digit integers, -0.0) where scoring and the
reports are exercised rather than the parser.

What a case must never do (`check_case`): raise anything but a `UserError` in lint, score, status, kpis or
tree, or anything at all in textconv (git's diff driver, run on each file); print JSON that a strict parser refuses (NaN, Infinity); print a line that a CI runner would read as a
workflow command (`::` at the start of a line, after blanks).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(
    [*(ROOT / "examples" / "acme").rglob("*.yaml"), *(ROOT / "examples" / "bad").glob("*.yaml")],
    key=lambda p: str(p),
)
AS_OF_DATES = (date(2026, 11, 23), date(2027, 1, 10), date(2026, 9, 15))  # mid-period, after its end, before

HOSTILE_NUMBERS = (
    "0", "-0", "0.0", "-0.0", "1e308", "-1e308", "1.7976931348623157e308", "1e-300", "5e-324",
    "9007199254740993", "9007199254740992.0", "1" + "0" * 400, "-" + "9" * 320, ".nan", ".inf", "-.inf",
    "0x1F", "0o17", "052", "1_000", "0.1", "0.7", "0.30000000000000004", "99.949", "2", "5", "-5",
)  # fmt: skip
HOSTILE_TEXT = (
    "", "''", '""', "null", "~", "yes", "no", "[]", "{}", "[okrs]", "{a: 1}", "okr", "KPIS", "okrs ",
    '"Grow\\n::error file=README.md,line=1::Forged"', '"x\\r\\n::warning::y"', '"\\e]0;pwned\\a"',
    '"\\u202eevil"', '"<script>alert(1)</script> | [l](http://x) *b*"', '"[bold red]x[/]"', '"Fix [/] bug"',
    '"' + "x" * 5000 + '"', '"' + "9/10 " * 200 + '"', "2026-13-45", "2026-02-30", "0001-Q1", "9999-Q4",
    "2026-Q9", "2026-10-05..2026-10-01", "2026", "2026-H3", "!!python/object:os.system x", "&a x", "*a",
    "|\n    block\n    scalar", ">-\n    folded", "'::add-mask::secret'",
)  # fmt: skip
HOSTILE_TITLES = (
    '"Grow\\n::error file=README.md,line=1::Forged by a title"', '"x\\r::add-mask::hunter2"',
    '"Grow the business in every single market we serve ::warning file=a,line=1::wrapped onto a line of its own"',
    '"<img src=https://attacker.example/p.png> | *b* [l](http://x) ]]> <![CDATA["', '"Fix [/] bug [bold red]x"',
    '"%|\\n\\n## All goals on track\\n\\n|"', '"\\e]0;pwned\\a"', '"\\u202eevil"', '"Grow 20% in Q4"',
    '"' + "y" * 3000 + '"', '"::stop-commands::token"', "Delight customers", "x",
)  # fmt: skip
KEYS = ("title", "start", "target", "weight", "value", "confidence", "at_least", "at_most", "current", "grade",
        "period", "kind", "owner", "id", "aligns_to", "kpi", "done", "done_on", "date", "min", "max", "unit",
        "frequency", "note", "guardrails", "type", "level")  # fmt: skip


@dataclass
class Case:
    index: int
    files: dict[str, bytes]  # relative path → content


# --- goal files generated from scratch ---------------------------------------------------------------------


def _text(rng: random.Random) -> str:
    return rng.choice(HOSTILE_TITLES) if rng.random() < 0.4 else rng.choice(("Grow thing", "Delight customers"))


def _number(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(HOSTILE_NUMBERS)
    return rng.choice(("0", "1", "3", "7", "10", "0.6", "0.7", "0.8", "100", "2.5"))


def _key_result(rng: random.Random, index: int, kpis: list[str]) -> str:
    kind = rng.choice(("metric", "metric", "threshold", "milestone", "kpi", "mixed", "grade"))
    fields = [f"id: k{index}", f"title: {_text(rng)}"]
    if rng.random() < 0.3:
        fields.append(f"unit: {_text(rng)}")
    if kind in ("metric", "mixed"):
        same = rng.random() < 0.2
        start = _number(rng)
        fields += [f"start: {start}", f"target: {start if same else _number(rng)}"]
    if kind in ("threshold", "mixed"):
        fields.append(f"{rng.choice(('at_least', 'at_most'))}: {_number(rng)}")
    if kind in ("milestone", "mixed"):
        fields.append(f"done: {rng.choice(('true', 'false'))}")
        if rng.random() < 0.5:
            fields.append(f"done_on: {rng.choice(('2026-10-10', '2025-10-10', '2027-02-01', 'null'))}")
    if kind == "kpi" and kpis:
        fields.append(f"kpi: {rng.choice(kpis)}")
        fields.append(rng.choice((f"at_least: {_number(rng)}", f"target: {_number(rng)}")))
    if kind == "grade":
        fields += [f"start: {_number(rng)}", f"target: {_number(rng)}", f"grade: {rng.choice(('0.6', '1', '0'))}"]
    if rng.random() < 0.5:
        fields.append(f"weight: {_number(rng)}")
    if rng.random() < 0.7:
        checkins = ", ".join(
            f"{{date: 2026-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}, value: {_number(rng)}"
            + (f", confidence: {rng.choice(('0.5', '0.9', '7', '-1'))}" if rng.random() < 0.3 else "")
            + (f", note: {_text(rng)}}}" if rng.random() < 0.3 else "}")
            for _ in range(rng.randint(0, 4))
        )
        fields.append(f"checkins: [{checkins}]")
    elif rng.random() < 0.3:
        fields.append(f"current: {_number(rng)}")
    return "      - {" + ", ".join(fields) + "}\n"


def _okrs_file(rng: random.Random, owner: str, owners: list[str], kpis: list[str]) -> str:
    period = rng.choice(("2026-Q4", "2026-Q4", "2026-Q3", "2026", "2026-H2", "2026-11", "2026-10-01..2026-10-10"))
    lines = [f"kind: okrs\nperiod: {period}\nowner: {owner}\nobjectives:\n"]
    for o in range(rng.randint(1, 4)):
        lines.append(f"  - id: o{o}\n    title: {_text(rng)}\n")
        lines.append(f"    type: {rng.choice(('aspirational', 'committed'))}\n")
        if rng.random() < 0.4:
            lines.append(f"    aligns_to: {rng.choice(owners)}/o{rng.randint(0, 3)}\n")
        if rng.random() < 0.3 and kpis:
            lines.append(f"    guardrails: [{rng.choice(kpis)}]\n")
        if rng.random() < 0.3:
            lines.append(f"    weight: {_number(rng)}\n")
        count = rng.choice((0, 1, 2, 3, 5))
        if count:
            lines.append("    key_results:\n")
            lines += [_key_result(rng, k, kpis) for k in range(count)]
    return "".join(lines)


def _kpis_file(rng: random.Random, owner: str) -> str:
    lines = [f"kind: kpis\nowner: {owner}\nkpis:\n"]
    for k in range(rng.randint(1, 3)):
        lines.append(f"  - id: m{k}\n    title: {_text(rng)}\n    owner: ann\n    definition: d\n    source: s\n")
        if rng.random() < 0.3:
            lines.append(f"    unit: {_text(rng)}\n")
        lines.append(f"    frequency: {rng.choice(('daily', 'weekly', 'monthly', 'quarterly'))}\n")
        if rng.random() < 0.8:
            lines.append(f"    green: {{{rng.choice(('min', 'max'))}: {_number(rng)}}}\n")
        if rng.random() < 0.5:
            lines.append(f"    amber: {{min: {_number(rng)}, max: {_number(rng)}}}\n")
        values = ", ".join(
            f"{{date: 2026-{rng.randint(8, 12):02d}-{rng.randint(1, 28):02d}, value: {_number(rng)}}}"
            for _ in range(rng.randint(0, 6))
        )
        lines.append(f"    measurements: [{values}]\n")
    return "".join(lines)


def _config(rng: random.Random) -> str:
    return rng.choice(
        (
            "fiscal_year_start: 7\n",
            "grades: {green: 0.4, yellow: 0.7}\n",
            "lint: {severity: {OKR104: error, OKR3: error}}\n",
            "lint: {ignore: [OKR006, OKR007]}\n",
            "fiscal_year_start: '7'\n",
            "grades: {green: 1e308}\n",
            "pace: {on_track: 0.3, at_risk: 0.1}\n",
            "exclude: ['**']\n",
            "kind: okrs\n",
            "[1, 2\n",
        )
    )


# --- mutations of the shipped examples ------------------------------------------------------------------------


def _mutate(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True) or ["\n"]
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(lines))
        operation = rng.randrange(10)
        if operation == 0:  # a hostile scalar after a key
            key = rng.choice(KEYS)
            lines[at] = f"{' ' * (len(lines[at]) - len(lines[at].lstrip(' ')))}{key}: {_hostile(rng)}\n"
        elif operation == 1:
            del lines[at]
            lines = lines or ["\n"]
        elif operation == 2:
            lines.insert(at, lines[at])
        elif operation == 3:
            lines[at] = rng.choice(("  ", "\t", "", " ")) + lines[at]
        elif operation == 4:  # replace the first number on the line
            head, _, tail = lines[at].partition(": ")
            if tail:
                lines[at] = f"{head}: {_number(rng)}\n"
        elif operation == 5:
            depth = rng.choice((5, 100, 1200))
            lines[at] = lines[at].rstrip("\n") + " " + "[" * depth + "]" * depth + "\n"
        elif operation == 6:
            lines.insert(at, f"{lines[at][: len(lines[at]) - len(lines[at].lstrip())]}x: &a [1, 2]\n")
        elif operation == 7:
            lines[at] = lines[at].replace("\n", "\r\n" if rng.random() < 0.5 else "\r")
        elif operation == 8:
            lines = [line for line in lines if not line.lstrip().startswith(("-", "{"))] or ["kind: okrs\n"]
        else:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.05:
        return data.decode("utf-8", "replace").encode("utf-16")
    if roll < 0.08:
        return b"\xef\xbb\xbf" + data
    if roll < 0.12:
        cut = rng.randrange(len(data) + 1)
        return data[:cut] + rng.choice((b"\x00", b"\xff\xfe", b"\x1b[2J", b"\xc3", b"\n::error::x\n")) + data[cut:]
    return data


def _hostile(rng: random.Random) -> str:
    return rng.choice(HOSTILE_TEXT) if rng.random() < 0.6 else _number(rng)


def make_case(index: int) -> Case:
    rng = random.Random(index)
    owners = ["alpha", "beta", "gamma"]
    kpis = [f"{o}/m{k}" for o in owners for k in range(3)]
    files: dict[str, bytes] = {}
    for number in range(rng.randint(1, 3)):
        choice = rng.random()
        if choice < 0.45:
            seed = SEEDS[rng.randrange(len(SEEDS))]
            files[f"f{number}.yaml"] = _mutate(seed.read_text(encoding="utf-8"), rng)
        elif choice < 0.8:
            owner = owners[number]
            files[f"goals/{owner}.yaml"] = _okrs_file(rng, owner, owners, kpis).encode()
        else:
            files[f"kpis/{owners[number]}.yaml"] = _kpis_file(rng, owners[number]).encode()
    if rng.random() < 0.2:
        files["okrctl.yaml"] = _config(rng).encode()
    return Case(index, files)


def write_case(case: Case, folder: Path) -> None:
    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    if "okrctl.yaml" not in case.files:
        (folder / "okrctl.yaml").write_text("")  # the case folder is its own goals root


# --- running a case -----------------------------------------------------------------------------------------------


@dataclass
class Failure:
    index: int
    command: str
    problem: str


JSON_FORMATS = ("json", "sarif", "gitlab")  # parsed strictly: no NaN, no Infinity


def _commands(folder: Path, as_of: date, turn: int) -> Iterator[tuple[str, Callable[[], int], str]]:
    """(name, call, output format) for lint, each report and textconv, formats rotating with the case number."""
    from okrctl.commands.lint import LintOptions
    from okrctl.commands.lint import run as lint
    from okrctl.commands.report import ReportCommandOptions
    from okrctl.commands.report import run as report
    from okrctl.reporters import ReportOptions, formats

    options = ReportOptions(color=turn % 3 == 0, width=80)
    lint_formats = formats("lint")  # every format there is: a new one is fuzzed without a change here
    lint_format = lint_formats[turn % len(lint_formats)]
    yield "lint", lambda: lint(LintOptions([folder], lint_format, False, as_of, options, use_cache=False)), lint_format
    for offset, command in enumerate(("score", "status", "kpis", "tree")):
        report_formats = formats(command)
        kind = report_formats[(turn + offset) % len(report_formats)]
        settings = ReportCommandOptions(command, [folder], kind, as_of, options, use_cache=False)
        yield command, functools.partial(report, settings), kind
    yield "textconv", functools.partial(_textconv_every_file, folder), "text"


def _textconv_every_file(folder: Path) -> int:
    """What git's diff driver prints for each file of the case (`okrctl textconv`): it must never fail."""
    from okrctl.textconv import textconv

    for path in sorted(folder.rglob("*")):
        if path.is_file():
            sys.stdout.write(textconv(path.read_bytes()))
    return 0


def check_case(case: Case, folder: Path) -> list[Failure]:
    """Run every read command over the case in `folder`; what went wrong, if anything."""
    from okrctl.errors import UserError

    write_case(case, folder)
    failures = []
    as_of = AS_OF_DATES[case.index % len(AS_OF_DATES)]
    for name, call, output_format in _commands(folder, as_of, case.index):
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                call()
        except UserError:
            pass
        except RecursionError:
            failures.append(Failure(case.index, name, "RecursionError"))
            continue
        except Exception as error:
            failures.append(Failure(case.index, name, f"{type(error).__name__}: {error}"[:300]))
            continue
        text = out.getvalue()
        if output_format in JSON_FORMATS and text:
            try:
                json.loads(text, parse_constant=_refuse_constant)
            except ValueError as error:
                failures.append(Failure(case.index, name, f"invalid JSON: {error}"))
        streams = [err.getvalue()] + ([] if output_format == "github" else [text])
        for stream in streams:
            forged = [line for line in stream.splitlines() if line.lstrip().startswith("::")]
            if forged:
                failures.append(Failure(case.index, name, f"a line reads as a workflow command: {forged[0]!r}"))
    return failures


def check_range(start: int, stop: int) -> list[Failure]:
    """Check cases `start` to `stop - 1`, each in a folder of its own (a worker's share of a long run)."""
    failures = []
    with tempfile.TemporaryDirectory(prefix="okrctl-fuzz-") as scratch:
        for index in range(start, stop):
            folder = Path(scratch) / str(index)
            folder.mkdir()
            failures += check_case(make_case(index), folder)
            shutil.rmtree(folder)
    return failures


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def main() -> int:
    index, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    case = make_case(index)
    for failure in check_case(case, folder):
        print(f"case {failure.index}: okrctl {failure.command}: {failure.problem}")
    print(f"case {index} written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
