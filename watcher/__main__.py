"""`python -m watcher`: the command line, where the `watcher` script is not on the PATH."""

from watcher.cli.main import main

if __name__ == "__main__":  # not when a tool imports every module (tests/test_install.py)
    main(prog_name="watcher")
