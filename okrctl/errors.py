"""Errors a user can fix. Anything else that escapes is a bug in okrctl."""

from __future__ import annotations


class UserError(Exception):
    """Bad input that stops a command: a clean one-line message and exit code 2."""

    exit_code = 2
