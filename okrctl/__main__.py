from okrctl.cli import app

app(prog_name="okrctl")
