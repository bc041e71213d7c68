"""A mail "server" for worker tests: slow to accept, and leaving one file per delivered message.

Before it starts on a message it writes ``<id>.sending``; once it has "delivered" the message it writes
``<id>.<random>.eml``. A test can so kill a worker while it is inside a send, and count deliveries.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def _name(message) -> str:
    return message.extra_headers["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_").replace(".", "_")


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        delay = float(os.environ.get("SLOW_MAIL_SECONDS", "0.5"))
        for message in messages:
            (folder / f"{_name(message)}.sending").write_text("")
            time.sleep(delay)
            (folder / f"{_name(message)}.{uuid.uuid4().hex[:8]}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
