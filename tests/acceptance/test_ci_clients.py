"""okrctl with the real CI clients, as processes: pre-commit runs the hooks from a snapshot of this working tree,
check-jsonschema validates goal files against the editor schema and the CI examples against the vendors'."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, git

BIN = Path(sys.executable).parent


def _tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[dev]'")
    return str(path)


# -- pre-commit -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed into a fresh repository: try-repo sees exactly the code under test."""
    copy = tmp_path_factory.mktemp("hooks") / "okrctl"
    ignored = shutil.ignore_patterns(".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")
    shutil.copytree(ROOT, copy, ignore=ignored)
    git("init", "-q", "-b", "main", cwd=copy)
    git("add", "-A", cwd=copy)
    git("-c", "user.email=ci@example.com", "-c", "user.name=CI", "commit", "-qm", "snapshot", cwd=copy)
    return copy


def _try_repo(repo: Path, home: Path, hooks: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    args = [_tool("pre-commit"), "try-repo", str(hooks), hook, "--color", "never"]
    args += ["--files", *files] if files else ["--all-files"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_pre_commit_hooks_through_try_repo(
    acme_repo: Path, pre_commit_home: Path, hooks_repo: Path, own_key_folder: Path
) -> None:
    (acme_repo / ".github").mkdir()
    (acme_repo / ".github" / "ci.yml").write_text("on: [push]\njobs: {}\n")  # unrelated YAML
    git("add", "-A", cwd=acme_repo)
    clean = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint", "goals/2026/sales.yaml", ".github/ci.yml")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "okrctl lint" in clean.stdout and "Passed" in clean.stdout

    sales = acme_repo / "goals" / "2026" / "sales.yaml"
    sales.write_text(sales.read_text().replace("target: 50\n", "target: 0\n"))  # OKR007 once the start is 0
    git("add", "-A", cwd=acme_repo)
    broken = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint", "goals/2026/sales.yaml", ".github/ci.yml")
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert (
        "goals/2026/sales.yaml:27:9 OKR007 error key result 'enterprise-deals' has start equal to target"
        in broken.stdout
    )

    everything = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-lint-all")
    assert everything.returncode == 1
    assert "goals/2026/sales.yaml:27:9 OKR007 error" in everything.stdout
    # the hook's okrctl kept its cache key where the suite said (the environment reaches it through pre-commit)
    assert (own_key_folder / "cache-key").is_file()


def test_pre_commit_fmt_hook_through_try_repo(acme_repo: Path, pre_commit_home: Path, hooks_repo: Path) -> None:
    (acme_repo / ".github").mkdir()
    (acme_repo / ".github" / "ci.yml").write_text("on: [push]\njobs:   {}\n")  # unrelated YAML, not laid out
    git("add", "-A", cwd=acme_repo)
    files = ("goals/2026/sales.yaml", "kpis/support.yaml", ".github/ci.yml")
    clean = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-fmt", *files)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "okrctl fmt" in clean.stdout and "Passed" in clean.stdout

    sales = acme_repo / "goals" / "2026" / "sales.yaml"
    formatted = sales.read_text()
    sales.write_text(
        formatted.replace("        start: 0\n        target: 50\n", "        target: 50\n        start: 0\n")
    )
    git("add", "-A", cwd=acme_repo)
    unformatted = _try_repo(acme_repo, pre_commit_home, hooks_repo, "okrctl-fmt", *files)
    assert unformatted.returncode == 1
    assert "Failed" in unformatted.stdout
    assert "would reformat goals/2026/sales.yaml" in unformatted.stdout
    assert sales.read_text() != formatted  # --check: the hook writes nothing


# -- the editor schema, with check-jsonschema -----------------------------------------------------


def _check_jsonschema(*files: Path, schema: str = "okrctl.schema.json") -> subprocess.CompletedProcess[str]:
    option = ["--builtin-schema", schema] if schema.startswith("vendor.") else ["--schemafile", str(ROOT / schema)]
    return subprocess.run([_tool("check-jsonschema"), *option, *map(str, files)], capture_output=True, text=True)


def test_check_jsonschema_accepts_every_valid_example() -> None:
    files = sorted(p for p in (EXAMPLES / "acme").rglob("*.yaml") if p.name != "okrctl.yaml")
    assert len(files) == 11
    result = _check_jsonschema(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_rejects_the_bad_examples_that_are_schema_errors() -> None:
    bad = EXAMPLES / "bad"
    schema_errors = [
        bad / "okr001-duplicate-key.yaml",
        bad / "okr002-unknown-field.yaml",
        bad / "okr006-key-result-kind.yaml",
    ]
    for path in schema_errors:
        result = _check_jsonschema(path)
        assert result.returncode == 1, path
    assert "'taget' was unexpected" in _check_jsonschema(bad / "okr002-unknown-field.yaml").stdout
    assert "should not be valid under" in _check_jsonschema(bad / "okr006-key-result-kind.yaml").stdout  # mixed kinds
    lint_only = sorted(set(bad.glob("*.yaml")) - set(schema_errors))  # good shape, bad practice: lint's job
    assert _check_jsonschema(*lint_only).returncode == 0


def test_ci_examples_validate_against_the_vendors_schemas() -> None:
    for name in (
        "github-workflow.yml",
        "github-pr-diff.yml",
        "github-nightly-measure.yml",
        "github-weekly-reminders.yml",
    ):
        assert _check_jsonschema(EXAMPLES / "ci" / name, schema="vendor.github-workflows").returncode == 0, name
    assert _check_jsonschema(EXAMPLES / "ci" / "gitlab-ci.yml", schema="vendor.gitlab-ci").returncode == 0
