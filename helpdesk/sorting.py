"""A list's column sort as the address carries it: ``?sort=column`` or ``?sort=-column``."""

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class ColumnSort:
    """One list's sort. A list subclasses it with its ``columns`` (key -> (label, first click descending?)), its
    ``default`` column and any ``aliases`` (old addresses -> today's value)."""

    key: str
    descending: bool

    columns: ClassVar[dict] = {}
    default: ClassVar[str] = ""
    aliases: ClassVar[dict] = {}

    @classmethod
    def parse(cls, value) -> "ColumnSort":
        """An unknown column is the default, quietly."""
        value = (value or "").strip()
        value = cls.aliases.get(value, value)
        descending = value.startswith("-")
        key = value.removeprefix("-")
        if key not in cls.columns:
            return cls(cls.default, False)
        return cls(key, descending)

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    @property
    def is_default(self) -> bool:
        return self == type(self)(self.default, False)

    def next_for(self, key: str) -> "ColumnSort":
        """Where a click on a column's header leads: the other direction, or the column's first one."""
        if key == self.key:
            return type(self)(key, not self.descending)
        return type(self)(key, self.columns[key][1])

    def aria(self, key: str) -> str | None:
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"
