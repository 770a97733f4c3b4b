"""The `watcher` command: the group of `watcher.cli.app` with every command module's commands.

Each module adds its commands to the group when imported: collect (init, check, crawl, status,
items, delete, process, reindex), search (search, searches), digest (digest, outbox, serve),
dossier (dossier, assess …), verify (verify), web (web, user …), store (migrate-store), demo. The
entry point is `main` (pyproject.toml: `watcher = "watcher.cli.main:main"`;
`python -m watcher.cli.main` too).
"""

from __future__ import annotations

from watcher.cli import collect, demo, digest, dossier, search, store, verify, web
from watcher.cli import french as cli_french
from watcher.cli.app import main

# imported for their commands
COMMAND_MODULES = (collect, search, digest, dossier, verify, web, store, demo)
cli_french.french_metavars(main)

__all__ = ["COMMAND_MODULES", "main"]

if __name__ == "__main__":
    main()
