"""The engine: every finding okrctl reports, whatever found it, passes through `apply_config` here.

How `okrctl lint DIR` and `okrctl status DIR` reach their output:

1. `cli.py` parses the options into a plain object (`LintOptions`, `ReportCommandOptions`) and calls the
   command's `run` (`commands/lint.py`, `commands/report.py`).
2. The command loads the goals roots under DIR (`commands/common.py`: `load_roots`, `load_root`): each config and
   its goal files, each through the per-file stage (`pipeline.read_stage` reads and keys every file,
   `pipeline.finish_stage` → `pipeline.process` does the rest, in parallel and cached): parse, validate, and
   the file rules (`file_rule_problems` here). A file comes back lean — its positions kept in a compact
   index, its check-ins and measurements (its history) set aside; a `RootFiles` holds one root's files.
   (`lint` first asks the cache whether this very run was made before: `pipeline.run_memo`.)
3. The engine judges a root. `lint_root` runs the cross-file rules in force (`cross_file_problems`), loading
   history only when a rule declares it needs it (`NEEDS_HISTORY` in its module). `report_root` runs those
   that decide whether a file can be scored, leaves such files out, and scores the rest with the scorer
   those rules used. Every problem — from loading, file rules, cross-file rules, the scorer — passes
   through `apply_config` (the config's ignores and severities, the files' `# okrctl: ignore` comments),
   so `okrctl lint` and every report agree on the findings of a tree. With `--history`, `history_findings`
   also runs the history rules over the commits that changed the goals (`okrctl.history`), placing their
   findings in the current files, through the same `apply_config`.
4. The command hands the result (`LintResult`, `ReportResult`) to a reporter chosen by name
   (`reporters.reporter(command, format)`), writes it to stdout, and returns the exit code.

Rules only say where and what; the engine stamps each finding with the rule's code and name and the
severity in force (the rule's default, or the config's override), as yamllint's engine does.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from okrctl.config import Config, LoadedConfig
from okrctl.findings import Finding, Problem
from okrctl.findings import LintResult as LintResult  # its home is light (see there); still importable here
from okrctl.loader import GoalFile
from okrctl.model import OkrFile
from okrctl.periods import Period
from okrctl.project import Project
from okrctl.rules import RULES, LintContext, Rule, matching_codes
from okrctl.rules.base import scorer_for
from okrctl.suppression import directives, suppresses
from okrctl.validation import did_you_mean

if TYPE_CHECKING:  # scoring and reports load only for the commands that report
    from okrctl.history import History
    from okrctl.report import Report

RawProblem = tuple[str, Problem]  # (code, problem): what loading or a rule says, before the config has its say

# Errors of these rules stop a file being scored: reports leave such a file out. Errors of the other rules
# (good practice and time, even when the config raises them to errors) are lint's to gate on.
SCORING_CODES = frozenset(code for code in RULES if code <= "OKR008")

IGNORED = "ignored by the config"
SUPPRESSED = "suppressed inline"


@dataclass
class RootFiles:
    """One goals root after the per-file stage: its config, the goal files asked for with their per-file
    problems, and (for the cross-file rules of a lint of named files) the rest of the root as context."""

    loaded: LoadedConfig
    files: list[GoalFile]
    problems: list[RawProblem]
    skipped: list[str]  # named on the command line, but not goal files
    context: list[GoalFile] = field(default_factory=list)

    @property
    def everything(self) -> list[GoalFile]:
        return [*self.files, *self.context]


@dataclass
class ReportResult:
    report: Report
    findings: list[Finding]  # the findings that leave files out, as `okrctl lint` reports them
    notes: list[str]  # a file left out for a reason the config or an inline comment silenced
    left_out: list[str]  # the paths of the files left out
    root: RootFiles


# -- the one place where problems become findings ---------------------------------------------------


@dataclass(frozen=True)
class Silenced:
    """A problem the config ignores or an inline comment suppresses: it is no finding, anywhere."""

    path: str
    code: str
    why: str  # IGNORED or SUPPRESSED


@dataclass
class Judged:
    findings: list[Finding]  # sorted by path, position and code
    silenced: list[Silenced]


def apply_config(problems: Iterable[RawProblem], files: list[GoalFile], config: Config) -> Judged:
    """Turn problems into findings: drop those the config ignores or a `# okrctl: ignore` comment on their
    line suppresses, stamp the others with code, name and the severity in force, and sort them."""
    ignored = ignored_codes(config)
    severity = {code: level for selector, level in config.lint.severity.items() for code in matching_codes(selector)}
    suppressions = {file.path: file.suppressions for file in files}
    findings = set()
    silenced = []
    for code, problem in problems:
        if code in ignored:
            silenced.append(Silenced(problem.path, code, IGNORED))
            continue
        if suppresses(suppressions.get(problem.path, {}).get(problem.line, frozenset()), code):
            silenced.append(Silenced(problem.path, code, SUPPRESSED))
            continue
        rule = RULES[code]
        level = severity.get(code, problem.severity or rule.severity)
        findings.add(
            Finding(
                problem.path,
                problem.line,
                problem.column,
                code,
                rule.name,
                level,
                problem.message,
                problem.commit,
                problem.ref,
            )
        )
    return Judged(sorted(findings), silenced)


def ignored_codes(config: Config) -> frozenset[str]:
    return _ignored(tuple(config.lint.ignore))


@functools.lru_cache(maxsize=8)
def _ignored(selectors: tuple[str, ...]) -> frozenset[str]:
    return frozenset(code for selector in selectors for code in matching_codes(selector))


def rules_in_force(config: Config, codes: Collection[str] | None = None) -> list[Rule]:
    """The rules the config does not ignore (of `codes`, when given): an ignored rule does not even run."""
    ignored = ignored_codes(config)
    return [rule for code, rule in RULES.items() if code not in ignored and (codes is None or code in codes)]


def stops_scoring(finding: Finding) -> bool:
    """Whether a finding leaves its file out of the reports: an error of the rules that decide scoring."""
    return finding.severity == "error" and finding.code in SCORING_CODES


# -- what the rules say -----------------------------------------------------------------------------


def file_rule_problems(file: GoalFile, context: LintContext) -> list[RawProblem]:
    """What loading found, what the file rules in force say about one file, and any inline suppression that
    would suppress nothing. Runs in the per-file stage, while the file still holds its history."""
    problems = list(file.problems)
    if file.valid:
        for rule in rules_in_force(context.config):
            if rule.check_file is not None:
                problems.extend((rule.code, problem) for problem in rule.check_file(file, context))
    problems.extend(("OKR002", problem) for problem in suppression_problems(file))
    return problems


def suppression_problems(file: GoalFile) -> Iterator[Problem]:
    """`# okrctl: ignore` comments that name no code, or a code that is no rule's and no prefix of one.

    A warning under OKR002 (the form of what is written), as the config's unknown codes are errors: a typo
    must not silently suppress nothing, yet a comment does not stop the file being scored.
    """
    for directive in directives(file.text):
        if not directive.selectors:
            message = "'# okrctl: ignore' names no rule code, so it suppresses nothing: e.g. # okrctl: ignore OKR104"
            yield Problem(file.path, directive.line, directive.column, message, "warning")
        for column, selector in directive.selectors:
            if not matching_codes(selector):
                message = (
                    f"'# okrctl: ignore' names {selector!r}, which is no rule code or prefix, so it suppresses "
                    f"nothing{did_you_mean(selector, list(RULES))}"
                )
                yield Problem(file.path, directive.line, column, message, "warning")


def cross_file_problems(project: Project, context: LintContext, rules: list[Rule] | None = None) -> list[RawProblem]:
    """What the cross-file rules in force (or `rules`) say about the whole project.

    A file's history (check-ins and measurements) is loaded back first if one of those rules declares that
    it needs it for this project; otherwise it stays set aside, which keeps a mid-period lint fast.
    """
    candidates = rules_in_force(context.config) if rules is None else rules
    chosen = [rule for rule in candidates if rule.check_project is not None]
    if any(rule.reads_history(project, context) for rule in chosen):
        for file in project.files:
            file.load_history()
    problems: list[RawProblem] = []
    for rule in chosen:
        assert rule.check_project is not None
        problems.extend((rule.code, problem) for problem in rule.check_project(project, context))
    return problems


# -- lint -------------------------------------------------------------------------------------------


def lint_root(root: RootFiles, as_of: date, cross_file: bool = True) -> list[Finding]:
    """The findings of the files asked for in `root`, sorted by path, position and code.

    With `cross_file=False` only the rules that judge one file at a time run: what pre-commit needs when it
    passes just the files a commit touches (references to files it did not pass would look broken).
    """
    config = root.loaded.config
    problems = list(root.problems)
    if cross_file:
        asked = {file.path for file in root.files}
        everything = Project(root.everything)
        found = cross_file_problems(everything, LintContext(config, as_of))
        problems += [(code, problem) for code, problem in found if problem.path in asked]
    return apply_config(problems, root.files, config).findings


def lint(files: list[GoalFile], config: Config, as_of: date, cross_file: bool = True) -> list[Finding]:
    """All findings over `files`, loaded whole in this process (what an edit checks before it writes)."""
    context = LintContext(config, as_of)
    problems = [problem for file in files for problem in file_rule_problems(file, context)]
    if cross_file:
        problems += cross_file_problems(Project(files), context)
    return apply_config(problems, files, config).findings


# -- history ----------------------------------------------------------------------------------------


def history_findings(root: RootFiles, history: History, as_of: date, since: date | None = None) -> list[Finding]:
    """What the history rules in force (OKR401-OKR405) say about `history`, the commits that changed the
    root's goals, placed in the root's current files (those asked for), through `apply_config`; sorted.
    `since`: where KPIs, which have no period, are judged from (default: the first day of the as-of date's
    fiscal quarter, for `lint --history` and `okrctl diff` alike)."""
    from okrctl.rules.history_base import HistoryContext

    config = root.loaded.config
    for file in root.everything:
        file.load_history()  # the current values: what was put back is no rewrite
    project = Project(root.everything)
    from okrctl.periods import quarter_of

    context = HistoryContext(config, as_of, since or quarter_of(as_of, config.fiscal_year_start).start)
    asked = {file.path for file in root.files}
    problems: list[RawProblem] = []
    for rule in rules_in_force(config):
        if rule.check_history is not None:
            found = rule.check_history(history, project, context)
            problems += [(rule.code, problem) for problem in found if problem.path in asked]
    return apply_config(problems, root.files, config).findings


def history_since(root: RootFiles, as_of: date) -> date:
    """The first day of the earliest period that overlaps `as_of` among the root's okrs files asked for, or of
    `as_of`'s fiscal quarter if that is earlier (KPIs are judged from it): where `lint --history` starts
    reading."""
    from okrctl.periods import quarter_of

    starts = [file.period.start for file in root.files if file.period is not None and file.period.contains(as_of)]
    quarter = quarter_of(as_of, root.loaded.config.fiscal_year_start).start  # where KPIs are judged from
    return min([*starts, quarter])


# -- reports ----------------------------------------------------------------------------------------


def report_root(
    root: RootFiles,
    as_of: date,
    period: Period | None = None,
    owner: str | None = None,
    objectives: bool = True,
) -> ReportResult:
    """Score the root's files for a report, leaving out each file that cannot be scored and what depends on it.

    A file is left out when it did not load, when an error of a rule that decides scoring (OKR001–OKR008) is
    reported on it, or when the scorer refuses it (say, a key result whose KPI's file was left out). The
    report prints the findings that leave files out: the very findings `okrctl lint` reports, plus, for a
    file left out only because of another, the scorer's reason. Errors of other rules (good practice, time),
    even when the config raises them to errors, neither leave a file out nor print: lint is their gate.

    An ignored or suppressed finding is ignored everywhere: a report does not print it either. A file that
    cannot be scored is still left out (and the command exits 1); when what leaves it out was ignored or
    suppressed, a note says so, rather than nothing. With `objectives=False` (`okrctl kpis`) only KPI health
    is computed, from the kpis files alone: nothing is scored, and okrs files are not judged.
    """
    from okrctl.report import build_report

    config = root.loaded.config
    context = LintContext(config, as_of)
    asked = root.files if objectives else [f for f in root.files if not _okrs_file(f)]
    around = root.context if objectives else [f for f in root.context if not _okrs_file(f)]
    files = [*asked, *around]  # named files are judged among the rest of their root, as lint judges them
    for file in files:
        file.load_history()  # reports show check-ins and measurements
    judged_paths = {file.path for file in asked}
    shown = judged_paths if around else None
    project = Project(files)  # the one project of the run: the rules' and the scorer's
    problems = [problem for problem in root.problems if problem[1].path in judged_paths]
    problems += cross_file_problems(project, context, rules_in_force(config, SCORING_CODES))
    why = _LeftOut(problems, files, config)
    for file in files:
        if not file.valid:  # even when what failed is silenced or made a warning: there is nothing to score
            why.leave_out(file.path, {code for code, _ in file.problems})
    while True:
        project.leave_out(why.paths)
        report, failures = build_report(project, scorer_for(project, context), period, owner, objectives, shown)
        if not failures:
            break
        for failure in failures:  # e.g. a key result whose KPI's file was left out: leave this one out too
            line, column = failure.file.position(failure.loc)
            why.scorer_refused(failure.code, Problem(failure.file.path, line, column, failure.message))
    findings = [f for f in why.findings() if f.path in judged_paths]  # the context's are lint's to report
    left_out = sorted(path for path in why.paths if path in judged_paths)
    return ReportResult(report, findings, why.notes(judged_paths), left_out, root)


class _LeftOut:
    """The files a report leaves out, and why: the findings about them in force, else why none are."""

    def __init__(self, problems: list[RawProblem], files: list[GoalFile], config: Config) -> None:
        self.files = files
        self.config = config
        judged = apply_config(problems, files, config)
        self.in_force = judged.findings
        self.silenced = judged.silenced
        self.raised = {(problem.path, code) for code, problem in problems}  # by loading and the rules
        self.causes: dict[str, set[str]] = {}  # path → the codes that leave it out
        for finding in self.in_force:
            if stops_scoring(finding):
                self.leave_out(finding.path, {finding.code})

    @property
    def paths(self) -> set[str]:
        return set(self.causes)

    def leave_out(self, path: str, codes: set[str]) -> None:
        self.causes.setdefault(path, set()).update(codes)

    def scorer_refused(self, code: str, problem: Problem) -> None:
        """A file the scorer refuses. When a rule or loading raised that code on it, lint's finding (or its
        silencing) says why; otherwise (a file left out only because of another) the scorer's reason does,
        through the same door as every other problem."""
        if (problem.path, code) not in self.raised:
            judged = apply_config([(code, problem)], self.files, self.config)
            self.in_force += judged.findings
            self.silenced += judged.silenced
            self.raised.add((problem.path, code))
        self.leave_out(problem.path, {code})

    def findings(self) -> list[Finding]:
        """The findings that leave each file out: its errors that stop scoring; if it has none, its findings
        of the codes that leave it out (made warnings by the config)."""
        stopping = {f.path for f in self.in_force if stops_scoring(f)}
        return sorted(
            {
                f
                for f in self.in_force
                if f.code in self.causes.get(f.path, ()) and (f.path not in stopping or stops_scoring(f))
            }
        )

    def notes(self, reported: set[str]) -> list[str]:
        """A note for each reported file left out with no finding to say why: what leaves it out was silenced."""
        explained = {f.path for f in self.findings()}
        notes = []
        for path in sorted((self.paths & reported) - explained):
            codes = self.causes[path]
            reasons = sorted({(s.code, s.why) for s in self.silenced if s.path == path and s.code in codes})
            why = "; ".join(f"{code}, {reason}" for code, reason in reasons) or ", ".join(sorted(codes))
            notes.append(f"okrctl: note: {path} left out of the report: it cannot be scored ({why})")
        return notes


def _okrs_file(file: GoalFile) -> bool:
    """An okrs file, or one that failed to load but says it is one: nothing `okrctl kpis` depends on."""
    return isinstance(file.model, OkrFile) or (file.model is None and file.kind_hint == "okrs")
