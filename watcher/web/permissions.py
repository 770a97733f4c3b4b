"""Who may do what (pure): the access rules of the web app, in one place.

- learner: member of one group; reads and curates that group's watch.
- tutor: reads one group's watch; changes nothing.
- evaluator: reads every group's watch and dossier pages; writes assessments.
- admin: manages accounts and sees the groups and the sources' health; reads no group's items
  nor curation (least privilege: an admin who must read a watch gets a second account).
"""

from __future__ import annotations

from watcher.model import User


def can_read_group(user: User | None, group_id: str) -> bool:
    """Items, searches, curation, fiches, contribution log and digests of the group."""
    if user is None:
        return False
    if user.role == "evaluator":
        return True
    return user.role in ("learner", "tutor") and user.group_id == group_id


def can_curate(user: User | None, group_id: str) -> bool:
    """Retain/reject, fiches de veille, saved searches and their feeds, OPML import."""
    return user is not None and user.role == "learner" and user.group_id == group_id


def can_see_sources(user: User | None, group_id: str) -> bool:
    """The group's sources, their health and the plan de veille (no item in it)."""
    return can_read_group(user, group_id) or (user is not None and user.role == "admin")


def can_assess(user: User | None) -> bool:
    """Writing assessments (grades per learner and competence): evaluators only."""
    return user is not None and user.role == "evaluator"


def can_verify(user: User | None) -> bool:
    """Checking a handed-in dossier against the records (`/verify`): evaluators, who read every
    group's watch."""
    return user is not None and user.role == "evaluator"


def can_admin(user: User | None) -> bool:
    return user is not None and user.role == "admin"
