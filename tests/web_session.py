"""A Flask test client of a watch's web app, signed in as one of its accounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask.testing import FlaskClient

from watcher.web import create_app
from watcher.workspace import Workspace

CSRF = "t" * 43


def signed_in_client(workspace: Workspace, email: str, now: datetime) -> Iterator[FlaskClient]:
    """For a fixture (``yield from``): the app of ``workspace`` at ``now``, a client signed in
    as ``email`` (with the CSRF token ``CSRF``); the app's store is closed afterwards."""
    app = create_app(workspace, now=lambda: now, testing=True)
    client = app.test_client()
    user = app.extensions["watcher"].users.by_email(email)
    with client.session_transaction() as session:
        session.update(csrf=CSRF, uid=user.id, sv=user.session_version)
    yield client
    app.extensions["watcher"].close()
