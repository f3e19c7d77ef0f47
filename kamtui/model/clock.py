"""Today's date, in one place.

``KAMTUI_TODAY=2027-03-01`` makes kamtui see the plans as on that day: the tests fix "today"
with it (a test that passes this year must pass next year), and a KAM can preview what the
review will say on the day of a visit. A malformed value is ignored.
"""

from __future__ import annotations

import datetime as dt
import os

ENV = "KAMTUI_TODAY"


def today() -> dt.date:
    value = os.environ.get(ENV)
    if value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    return dt.date.today()
