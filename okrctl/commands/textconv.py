"""`okrctl textconv FILE`: a goal file as one fact per line, for git's diff driver (see `okrctl.textconv`)."""

from __future__ import annotations

import sys
from pathlib import Path

from okrctl.errors import UserError
from okrctl.reporters.safe_text import printable
from okrctl.textconv import textconv


def run(path: Path) -> int:
    """Print the facts of `path`; whatever it holds, exit 0. Only a file that cannot be read is an error."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read {printable(str(path))}: {error.strerror or error}") from None
    sys.stdout.flush()
    sys.stdout.buffer.write(textconv(data).encode("utf-8", "replace"))
    sys.stdout.buffer.flush()
    return 0
