"""Where e-mail comes from: a maildir folder and an IMAP mailbox, each read once per run.

A message is marked as done in its source (renamed to seen, flagged \\Seen) only once intake has a
record of it; one that fails stays for the next run until it has been tried INBOUND_MAX_ATTEMPTS times.
"""

import logging
import mailbox
import os

from django.conf import settings
from imapclient import SEEN, IMAPClient

from tickets.channels.email import process_message
from tickets.intake import gave_up
from tickets.models import IntakeRecord

logger = logging.getLogger("tickets.channels.email")
Outcome = IntakeRecord.Outcome


class InboundFailures(Exception):
    """Some mail could not be processed; each has a failed record in admin. Raised after all sources ran."""

    def __init__(self, failed: int, processed: int):
        super().__init__(f"{failed} inbound e-mail(s) failed; see the failed intake records in admin")
        self.failed = failed
        self.processed = processed


def fetch_all() -> int:
    """Read every configured source once; returns how many messages were processed.

    A source that cannot be read (server down, folder missing) does not keep the other from
    being read; its error is raised once both have had their turn. Then, if any mail failed,
    ``InboundFailures`` is raised, so that ``fetch_email`` and the task say so.
    """
    sources = []
    if settings.INBOUND_MAILDIR:
        sources.append(lambda: fetch_maildir(settings.INBOUND_MAILDIR))
    if settings.INBOUND_IMAP_HOST:
        sources.append(fetch_imap)
    processed, failed, failure = 0, 0, None
    for source in sources:
        try:
            done, broken = source()
            processed, failed = processed + done, failed + broken
        except Exception as error:
            logger.exception("Could not read an inbound e-mail source")
            failure = failure or error
    if failure is not None:
        raise failure
    if failed:
        raise InboundFailures(failed, processed)
    return processed


def fetch_maildir(path) -> tuple[int, int]:
    """Process the messages in new/ and the unseen ones in cur/, then file each in cur/ with the S flag.

    Nothing is ever deleted or rewritten: a processed message is only renamed (the flags live in
    its file name), and a message that fails stays where it is for the next run.
    """
    box = mailbox.Maildir(path, factory=None, create=False)  # refuses a folder that is not a maildir
    processed = failed = 0
    for subdir in ("new", "cur"):
        for entry in sorted(os.scandir(os.path.join(path, subdir)), key=lambda entry: entry.name):
            if entry.name.startswith(".") or not entry.is_file():
                continue
            key, _colon, info = entry.name.partition(box.colon)
            flags = info[2:] if info.startswith("2,") else ""
            if subdir == "cur" and "S" in flags:
                continue  # seen: processed before
            try:
                with open(entry.path, "rb") as file:
                    raw = file.read()
            except FileNotFoundError:
                continue  # filed by another worker meanwhile
            try:
                record = process_message(raw)
            except Exception:
                logger.exception("Could not process maildir message %s; it stays for the next run", entry.name)
                failed += 1
                continue
            if record.outcome == Outcome.FAILED:
                failed += 1
                if not gave_up(record):
                    continue  # it stays for the next run
            seen = os.path.join(path, "cur", f"{key}{box.colon}2,{''.join(sorted(set(flags) | {'S'}))}")
            try:
                os.rename(entry.path, seen)
            except FileNotFoundError:
                logger.info("Maildir message %s was already filed", entry.name)
            processed += record.outcome != Outcome.FAILED
    return processed, failed


def fetch_imap() -> tuple[int, int]:
    """Process the unseen messages of the IMAP folder, marking each \\Seen once it is processed.

    The body is fetched with BODY.PEEK[] so that a message that fails stays unseen for the next run.
    """
    processed = failed = 0
    with IMAPClient(settings.INBOUND_IMAP_HOST, port=settings.INBOUND_IMAP_PORT, ssl=settings.INBOUND_IMAP_SSL,
                    timeout=60) as client:
        client.login(settings.INBOUND_IMAP_USER, settings.INBOUND_IMAP_PASSWORD)
        client.select_folder(settings.INBOUND_IMAP_FOLDER)
        for uid in client.search(["UNSEEN"]):
            try:
                raw = client.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
                record = process_message(raw)
            except Exception:
                logger.exception("Could not process IMAP message %s; it stays unseen for the next run", uid)
                failed += 1
                continue
            if record.outcome == Outcome.FAILED:
                failed += 1
                if not gave_up(record):
                    continue  # it stays unseen for the next run
            client.add_flags([uid], [SEEN])
            processed += record.outcome != Outcome.FAILED
    return processed, failed
