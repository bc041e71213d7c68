"""Steps that look at a message before intake writes anything: triage, rules and spam checks plug in here.

A step is a function ``step(draft)``. It may change the draft's queue, priority, tags and product, which a
new ticket is opened with (before its SLA is computed), or stop the message by raising ``Suspend`` (an agent
reviews it) or ``Ignore``. Steps register in their app's ``ready()``, as desk panels do, and run in order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tickets.models import Priority, Queue, Ticket


class Suspend(Exception):
    """Hold the message in the desk's suspended list, with this reason, for an agent to recover or delete."""


class Ignore(Exception):
    """Drop the message, with this reason on its intake record."""


@dataclass
class TicketDraft:
    """What a step sees and may change. ``ticket`` is the ticket the message threads onto, if any."""

    message: object  # the IncomingMessage
    author: object  # the sender's account
    ticket: Ticket | None
    queue: Queue | None  # None only when no queue exists at all
    priority: str = Priority.NORMAL
    tags: list = field(default_factory=list)
    product: str = ""


_steps: list[tuple[int, str, Callable[[TicketDraft], None]]] = []


def register_step(step, *, order: int = 100, name: str = "") -> None:
    """Add a step; a second registration under the same name replaces the first."""
    name = name or f"{step.__module__}.{step.__qualname__}"
    _steps[:] = [entry for entry in _steps if entry[1] != name]
    _steps.append((order, name, step))
    _steps.sort(key=lambda entry: (entry[0], entry[1]))


def unregister_step(name: str) -> None:
    _steps[:] = [entry for entry in _steps if entry[1] != name]


def run_steps(draft: TicketDraft) -> TicketDraft:
    for _order, _name, step in list(_steps):
        step(draft)
    return draft
