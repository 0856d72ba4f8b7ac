"""What demo data and tests share to build records through the services: a controlled clock,
office hours, the volume switch of ``seed_demo`` and a schedule that runs the steps of many
records in time order."""
import datetime
import heapq
import itertools
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.utils import timezone

SMALL, FULL = "small", "full"
VOLUMES = (SMALL, FULL)


def volume(ctx):
    """The volume a seed should build: ``small`` (the tests: every state, a few rows each) or
    ``full`` (centre-like counts for the statistics pages)."""
    value = (ctx or {}).get("volume", FULL)
    return value if value in VOLUMES else FULL


_building = []


@contextmanager
def building():
    """While demo data is built and committed (``seed_demo`` wraps its transaction in this),
    tasks named by ``on_demand`` are not queued."""
    with ExitStack() as stack:
        _building.append(stack)
        try:
            yield
        finally:
            _building.pop()


def on_demand(owner, name="delay"):
    """A seed marks background work whose result the system also makes on first use (an opinion
    letter's job is started when the letter is first downloaded): ``owner.name`` (a task's
    ``delay``, or a service function of a module) does nothing while the seed runs, so no job is
    queued for every demo record; the record is otherwise exactly what the services made.
    Outside ``building`` a no-op."""
    if _building:
        _building[-1].enter_context(mock.patch.object(owner, name, lambda *args, **kwargs: None))


@contextmanager
def clock(moment):
    """Run services as if it were ``moment``; each call to ``timezone.now`` ticks one second
    (so the events of one step keep their order)."""
    ticks = itertools.count()
    with mock.patch.object(timezone, "now", lambda: moment + datetime.timedelta(seconds=next(ticks))):
        yield


def office_time(day, rnd, start=9, end=17):
    """An aware datetime on a weekday (moved forward from weekends) during office hours."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    naive = datetime.datetime.combine(day, datetime.time(rnd.randint(start, end - 1), rnd.randrange(60)))
    return timezone.make_aware(naive)


def later(moment, rnd, low, high):
    """``moment`` plus a random number of days in [low, high], in office hours."""
    day = timezone.localtime(moment).date() + datetime.timedelta(days=rnd.uniform(low, high))
    candidate = office_time(day, rnd)
    return candidate if candidate > moment else moment + datetime.timedelta(hours=rnd.uniform(0.5, 3))


class Schedule:
    """Steps of many records, run in time order, each under the clock of its moment.

    A step may schedule further steps (``at``) while it runs; steps at the same moment run
    in the order they were scheduled.  What a service decides from the state of other records
    (numbers in order of acceptance, an entity's quota and failure rate, near-duplicates of
    earlier filings, the deadline sweep) is then what it would have decided at that time."""

    def __init__(self, until=None):
        self._queue = []
        self._order = itertools.count()
        self.until = until
        self.steps = 0

    def at(self, moment, func, *args, **kwargs):
        if self.until is not None and moment > self.until:
            raise ValueError(f"step {getattr(func, '__name__', func)} at {moment} is after {self.until}")
        heapq.heappush(self._queue, (moment, next(self._order), func, args, kwargs))

    def run(self):
        while self._queue:
            moment, _, func, args, kwargs = heapq.heappop(self._queue)
            with clock(moment):
                func(*args, **kwargs)
            self.steps += 1
        return self.steps
