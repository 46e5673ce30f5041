"""One module per subcommand; each `run(options)` returns the exit code (pre-commit's layout)."""
