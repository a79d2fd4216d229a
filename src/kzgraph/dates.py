"""Partial dates: a year, a month or a day, each read as the interval of days it covers.

The dataset dates things as precisely as the sources allow (xsd:date, xsd:gYearMonth or
xsd:gYear), and researchers type ``2019``, ``2019-03`` or ``2019-03-20``. Reading each as the
interval ``[start, end]`` of days lets all of them be compared with one another.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import total_ordering

from rdflib import Literal
from rdflib.namespace import XSD

from .errors import KzError

ACCEPTED = "YYYY, YYYY-MM or YYYY-MM-DD"

_FORM = re.compile(r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?")
#: an XML Schema timezone suffix; a date's day does not depend on it, so it is dropped
_TIMEZONE = re.compile(r"(?:Z|[+-]\d{2}:\d{2})$")
_DATATYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}
_PRECISIONS = {dt: p for p, dt in _DATATYPES.items()}


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """The days from ``start`` to ``end`` (inclusive) that a year, month or day stands for.

    Ordered as a timeline lists them: at the last day a date may stand for, and then the
    narrower first, so "2019" comes after every month and day of 2019, "2019-06" after the
    days of June; precise dates keep calendar order.
    """

    start: date
    end: date
    precision: str  # "year" | "month" | "day"

    def _key(self):
        return self.end, -self.start.toordinal()

    def __lt__(self, other: PartialDate) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return self.start.isoformat()[: {"year": 4, "month": 7, "day": 10}[self.precision]]

    @property
    def phrase(self) -> str:
        """This date as English says it: "in 2019", "in 2019-03", "on 2019-03-20"."""
        return f"{'on' if self.precision == 'day' else 'in'} {self}"

    @property
    def literal(self) -> Literal:
        """The RDF literal of this date, typed xsd:gYear, xsd:gYearMonth or xsd:date."""
        return Literal(str(self), datatype=_DATATYPES[self.precision])

    def overlaps(self, other: PartialDate) -> bool:
        """Whether some day lies in both this date and ``other``."""
        return self.start <= other.end and other.start <= self.end


def parse_date(text: str) -> PartialDate:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else raises :class:`KzError`."""
    match = _FORM.fullmatch(str(text).strip())
    try:
        if match is None:
            raise ValueError
        year, month, day = int(match["y"]), match["m"], match["d"]
        if month is None:
            return PartialDate(date(year, 1, 1), date(year, 12, 31), "year")
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return PartialDate(date(year, int(month), 1), date(year, int(month), last), "month")
        day = date(year, int(month), int(day))
        return PartialDate(day, day, "day")
    except (ValueError, calendar.IllegalMonthError):
        raise KzError(f"bad date {text!r}: expected {ACCEPTED}, e.g. 2019-03-20") from None


def from_literal(term) -> PartialDate:
    """The :class:`PartialDate` of an RDF literal typed xsd:date, xsd:gYearMonth or xsd:gYear."""
    precision = _PRECISIONS.get(getattr(term, "datatype", None))
    if precision is None:
        raise KzError(f"{term!r} is not an xsd:date, xsd:gYearMonth or xsd:gYear literal")
    found = parse_date(_TIMEZONE.sub("", str(term)))
    if found.precision != precision:
        raise KzError(f"{term!r}: the text does not match its datatype {precision}")
    return found
