"""Loaded (through PYTHONPATH) by the crawl processes of tests/test_crawl_guard.py only.

- A fence: a connection to any address outside 127.0.0.0/8 and ::1 fails at once
  (ENETUNREACH) without leaving the machine, and is written to the log. No test can reach
  another address, even when the code under test is wrong, and a test can say which
  connections the crawl tried.
- Names under `.test` (reserved by RFC 2606: never real) resolve as the JSON file named by
  $WATCHER_TEST_DNS says, `{name: [answer to the 1st look-up, to the 2nd, …]}` (the last answer
  repeats), each answer a list of addresses. Every such look-up is written to the log.

The log ($WATCHER_TEST_NET_LOG) is one JSON object a line: {"lookup": name, "answer": [...]}
or {"connect": address, "port": port}.
"""

from __future__ import annotations

import errno
import ipaddress
import json
import os
import socket
import threading
from typing import Any

_LOG = os.environ.get("WATCHER_TEST_NET_LOG", "")
_DNS = os.environ.get("WATCHER_TEST_DNS", "")
_lookups: dict[str, int] = {}  # per process: each crawl is a process of its own
_lock = threading.Lock()  # look-ups run in threads


def _log(event: dict[str, Any]) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps(event) + "\n")


def _fake_answer(host: object) -> list[str] | None:
    """The addresses of a `.test` name for this look-up, None for any other name."""
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
    if not isinstance(name, str) or not name.lower().rstrip(".").endswith(".test"):
        return None
    name = name.lower().rstrip(".")
    table: dict[str, list[list[str]]] = {}
    if _DNS and os.path.exists(_DNS):
        with open(_DNS, encoding="utf-8") as answers:
            table = json.load(answers)
    answers_for = table.get(name, [[]])
    with _lock:
        count = _lookups.get(name, 0)
        _lookups[name] = count + 1
        answer = answers_for[min(count, len(answers_for) - 1)]
        _log({"lookup": name, "answer": answer})
    return answer


_getaddrinfo = socket.getaddrinfo
_gethostbyname = socket.gethostbyname


def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    answer = _fake_answer(host)
    if answer is None:
        return _getaddrinfo(host, port, *args, **kwargs)
    if not answer:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    number = port if isinstance(port, int) else 0
    return [
        (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, number, 0, 0))
        if ":" in a
        else (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, number))
        for a in answer
    ]


def gethostbyname(host: str) -> str:
    answer = _fake_answer(host)
    if answer is None:
        return _gethostbyname(host)
    ipv4 = [a for a in answer if ":" not in a]
    if not ipv4:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return ipv4[0]


def _outside(sock: socket.socket, address: Any) -> bool:
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return False
    try:
        ip = ipaddress.ip_address(str(address[0]).split("%")[0])
    except ValueError:
        return True  # a name: never expected here, refused
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return False
    _log({"connect": str(address[0]), "port": address[1]})
    return True


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def connect(self: socket.socket, address: Any) -> None:
    if _outside(self, address):
        raise OSError(errno.ENETUNREACH, "fenced by the tests: only loopback is reachable")
    _connect(self, address)


def connect_ex(self: socket.socket, address: Any) -> int:
    if _outside(self, address):
        return errno.ENETUNREACH
    return _connect_ex(self, address)


socket.getaddrinfo = getaddrinfo
socket.gethostbyname = gethostbyname
socket.socket.connect = connect  # type: ignore[method-assign]
socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
