"""Capacity is exact under concurrency: 50 threads race for the last 10 seats on PostgreSQL."""
import threading

import pytest
from django.db import connection, connections

from outreach import services
from outreach.models import Registration
from tests.outreach.conftest import person


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_last_ten_seats(make_event):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    event = make_event(capacity=20)
    for i in range(10):
        services.register(event, **person(i))
    barrier = threading.Barrier(50)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            services.register(event, **person(1000 + i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    regs = Registration.objects.filter(event=event)
    assert regs.filter(state=Registration.State.CONFIRMED).count() == 20
    assert regs.filter(state=Registration.State.WAITING).count() == 40
    # the waiting list has a strict order and a cancellation promotes its head
    first_waiting = regs.filter(state=Registration.State.WAITING).order_by("waiting_since", "pk").first()
    services.cancel_registration(regs.filter(state=Registration.State.CONFIRMED).first())
    first_waiting.refresh_from_db()
    assert first_waiting.state == Registration.State.CONFIRMED
    assert regs.filter(state=Registration.State.CONFIRMED).count() == 20
