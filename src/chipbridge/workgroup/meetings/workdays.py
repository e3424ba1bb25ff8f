"""Which days a meeting may fall on: a weekday that is a public holiday in neither side's
country, by the maintained ``holidays`` library (no list of our own)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _calendar(country: str, year: int) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the library does not know: weekends only
        return None


def day_off(day: date, countries: Iterable[str]) -> str | None:
    """Why ``day`` is no working day on every side (a weekend, or whose holiday), if it is not."""
    if day.weekday() >= 5:
        return f"{day.isoformat()} is a {day:%A}"
    for country in sorted(set(countries)):
        calendar = _calendar(country.upper(), day.year)
        if calendar is not None and day in calendar:
            return f"{day.isoformat()} is a public holiday in {country.upper()} ({calendar[day]})"
    return None


def next_working_day(day: date, countries: Iterable[str]) -> date:
    """``day`` itself if it is a working day on every side, else the first one after it."""
    wanted = sorted(set(countries))
    while day_off(day, wanted) is not None:
        day += timedelta(days=1)
    return day
