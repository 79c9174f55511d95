"""Problems found in the data, reported as ``file:line: message (hint)``.

Every stage reports bad input the same way, so the CLI, the MkDocs build and the
tests can print, count and assert on them without knowing which stage spoke.
A problem never stops a stage: it skips the one bad record and keeps the rest,
so one typo in a dump does not take its other 200 papers off the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"  # the data is wrong: the build fails (strict) until it is fixed
    NOTICE = "notice"  # worth a curator's look, the build goes on (e.g. a title clash)


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one place in the data."""

    path: str  # repository-relative path of the file, e.g. data/listings/000_x.txt
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str  # what is wrong
    hint: str = ""  # what to do about it
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR
