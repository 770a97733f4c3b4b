"""Processes Watcher starts for its work (a crawl's worker and child, a rebuild's workers) die
with the process that started them: killed with kill -9, it takes them with it, and none is
left running, holding memory and files, for ever."""

from __future__ import annotations

import ctypes
import os
import signal
import sys


def die_with(parent: int) -> None:
    """Be killed (SIGKILL) when the process `parent` dies (Linux's PR_SET_PDEATHSIG), or exit
    now if it already has. Called first thing in the started process (a pool's
    `initializer`, with the starter's pid)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)
