"""`python -m watcher`: the command line, where the `watcher` script is not on the PATH."""

from watcher.cli.main import main

main(prog_name="watcher")
