"""Shared test helpers: run the real `okrctl` entry point, and make real git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = "2026-11-23"  # the examples are a snapshot of this day


def _okrctl_command() -> list[str]:
    script = Path(sys.executable).parent / "okrctl"
    if not script.exists():
        raise RuntimeError("the okrctl console script is not installed: pip install -e '.[dev]'")
    return [str(script)]


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_okrctl(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run the installed `okrctl` console script as a user would, with a clean environment."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    environment["COLUMNS"] = "100"
    environment.update(env or {})
    done = subprocess.run(
        [*_okrctl_command(), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(autouse=True)
def own_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache's signing key in a temporary folder, for in-process runs and for `run_okrctl` (which passes the
    environment on): the suite never writes into the user's real `~/.cache/okrctl`."""
    folder = tmp_path_factory.mktemp("key-folder")
    monkeypatch.setenv("OKRCTL_CACHE_HOME", str(folder))
    return folder


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    """An empty git repository with an identity, as a user's project would be."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    git("config", "user.email", "dev@example.com", cwd=repo)
    git("config", "user.name", "Dev", cwd=repo)
    return repo


@pytest.fixture
def acme_repo(git_repo: Path) -> Path:
    """The acme example committed into a fresh git repository."""
    shutil.copytree(EXAMPLES / "acme", git_repo, dirs_exist_ok=True)
    git("add", "-A", cwd=git_repo)
    git("commit", "-qm", "Goals for Q4", cwd=git_repo)
    return git_repo


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-docs", action="store_true", help="rewrite the output shown in the docs")
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden report files")
