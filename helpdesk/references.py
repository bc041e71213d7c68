"""References people read and type: a prefix and the number, six digits or more ("HD-000123")."""

MAX_DIGITS = 9  # what a reference may hold: below 2**31, so a typed number never overflows a database key


class Reference:
    def __init__(self, prefix: str):
        self.prefix = prefix

    def format(self, pk) -> str:
        return f"{self.prefix}{pk:06d}" if pk else ""

    def parse(self, text: str) -> int | None:
        """The number in "HD-000123", "hd-123" or "123", or None for anything else."""
        text = (text or "").strip().upper()
        if text.startswith(self.prefix):
            text = text[len(self.prefix):]
        return int(text) if text.isdigit() and text.isascii() and len(text) <= MAX_DIGITS else None
