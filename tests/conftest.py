"""Shared test helpers: run `okrctl` in process or as the real entry point, and make real git repositories.

Two layers: tests/unit (in process, fast) and tests/acceptance (the installed entry point as a process, real
pre-commit and check-jsonschema, terminals and pipes), which is marked `slow`: `pytest -m "not slow"` is the
quick loop, `pytest` runs both.
"""

from __future__ import annotations

import gc
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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


def _environment(env: dict[str, str] | None) -> dict[str, str]:
    """A clean environment for one run: no CI or colour settings from the shell running the tests."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    environment["COLUMNS"] = "100"
    environment.update(env or {})
    return environment


def run_okrctl(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run the installed `okrctl` console script as a user would, with a clean environment (acceptance tests)."""
    done = subprocess.run(
        [*_okrctl_command(), *args], cwd=cwd, env=_environment(env), capture_output=True, text=True, timeout=60
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


def okrctl(*args: str, cwd: Path, env: dict[str, str] | None = None, input: bytes | str = b"") -> Run:
    """Run the command line in this process as `run_okrctl` runs the console script: the same environment,
    working directory, stdin and exit code, stdout and stderr as strict UTF-8 text (as a process's are).

    Everything the run changes for the whole process is put back afterwards: the environment, the working
    directory, the standard streams, the config file `--config` chose, and the objects the pipeline froze
    out of the garbage collector's reach (`gc.freeze`, which would otherwise pile up run after run).
    """
    from okrctl.cli import app
    from okrctl.config import use_config_file

    data = input.encode() if isinstance(input, str) else input
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="\n")
    saved_environment, saved_cwd = dict(os.environ), Path.cwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    environment = _environment(env)
    os.environ.clear()
    os.environ.update(environment)
    use_config_file(None)
    try:
        os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        try:
            app([*args], prog_name="okrctl")
            code: int = 0  # the app always exits through SystemExit
        except SystemExit as exited:
            code = _exit_code(exited.code, stderr)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_environment)
        use_config_file(None)
        gc.unfreeze()
    out, err = (_written(stream) for stream in (stdout, stderr))
    assert "Traceback" not in err, err
    return Run(code, out, err)


def _exit_code(code: object, stderr: io.TextIOWrapper) -> int:
    """The exit status Python gives `sys.exit(code)`: None is 0, a message is printed and is 1."""
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=stderr)
    return 1


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


@pytest.fixture(autouse=True)
def own_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache's signing key in a temporary folder, for in-process runs and for every process a test starts
    (`run_okrctl`, pre-commit and its hooks all inherit the environment): the suite never writes into the
    user's real `~/.cache/okrctl`."""
    folder = tmp_path_factory.mktemp("key-folder")
    monkeypatch.setenv("OKRCTL_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterator[None]:
    """What a command sets for the whole process, put back after every test, whichever way the test ran the
    command line (`okrctl`, `app([...])`, typer's runner) or the pipeline."""
    yield
    from okrctl.config import use_config_file
    from okrctl.git import close_repositories

    use_config_file(None)
    close_repositories()  # a test's repository is gone after it: so is its `git cat-file` process
    gc.unfreeze()


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


# The runner's git: no identity of the user's, none guessed from the machine (on GitHub's runners an annotated
# tag fails with "Committer identity unknown" unless the step sets one).
RUNNER_GIT = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_COUNT": "1",
    "GIT_CONFIG_KEY_0": "user.useConfigOnly",
    "GIT_CONFIG_VALUE_0": "true",
}


def commit_all(repo: Path, message: str, day: str, author: str = "Dev") -> str:
    """Commit every change in `repo` as `author` on `day` (YYYY-MM-DD, noon UTC, for both the author's and the
    committer's dates); the new commit's id."""
    when = f"{day}T12:00:00Z"
    environment = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.lower()}@example.com",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": f"{author.lower()}@example.com",
    }
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, capture_output=True)
    subprocess.run(
        ["git", "commit", "--allow-empty-message", "-qm", message],
        cwd=repo,
        check=True,
        capture_output=True,
        env=environment,
    )
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout.strip()


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


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/acceptance is the slow layer."""
    acceptance = Path(__file__).parent / "acceptance"
    for item in items:
        if acceptance in item.path.parents:
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-docs", action="store_true", help="rewrite the output shown in the docs")
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden report files")
