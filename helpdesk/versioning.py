"""Optimistic locking for objects that two people edit at once (tickets, service requests).

Each such object has a ``version`` raised on every change and events stamped with the version they
made. A form carries the version it was loaded at; a change made meanwhile raises the app's conflict
error with the events since, so the page can show what changed and keep what the person typed. The
services lock the row (``select_for_update``) before they check.
"""


def check_version(obj, expected_version, *, events, conflict):
    """Raise ``conflict(obj, changes)`` when ``obj`` moved past the version the person loaded."""
    if expected_version is not None and int(expected_version) != obj.version:
        changes = list(events.filter(version__gt=int(expected_version)).select_related("actor")
                       .order_by("created_at", "pk"))
        raise conflict(obj, changes)


def save_versioned(obj, fields) -> None:
    """Save these fields and the next version."""
    obj.version += 1
    obj.save(update_fields=sorted(set(fields) | {"version", "updated_at"}))
