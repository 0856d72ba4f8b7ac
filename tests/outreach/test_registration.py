"""Registration: exact capacity, waiting list in order with notification, approval, walk-ins."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from outreach import services
from outreach.models import Registration
from tests import factories
from tests.outreach.conftest import person

State = Registration.State
pytestmark = pytest.mark.django_db


def test_within_capacity_confirmed_beyond_waiting(make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        regs = [services.register(event, **person(i)) for i in range(4)]
    assert [r.state for r in regs] == [State.CONFIRMED, State.CONFIRMED, State.WAITING, State.WAITING]
    assert len(mail.outbox) == 4
    first = mail.outbox[0]
    assert regs[0].code in first.body and "/cancel/" in first.body
    parts = {p.get_filename(): p for p in first.message().walk() if p.get_filename()}
    assert set(parts) == {f"{regs[0].code}.png", "event.ics"}
    assert "BEGIN:VEVENT" in parts["event.ics"].get_payload(decode=True).decode()
    assert "已进入候补名单" in mail.outbox[2].subject


def test_confirmation_mail_shows_the_qr_code_as_png(make_event, django_capture_on_commit_callbacks):
    """Mail clients show no SVG: the QR code travels as a PNG that the HTML body shows inline
    (cid:), and the ticket link stays."""
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.register(event, **person(1))
    msg = mail.outbox[0]
    png = next(p for p in msg.message().walk() if p.get_filename() == f"{reg.code}.png")
    assert png.get_content_type() == "image/png"
    data = png.get_payload(decode=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 100
    html = next(body for body, mime in msg.alternatives if mime == "text/html")
    assert f'src="cid:{png["Content-ID"].strip("<>")}"' in html
    assert f"/outreach/ticket/{reg.code}/" in html and f"/outreach/ticket/{reg.code}/" in msg.body
    assert not any(p.get_content_type() == "image/svg+xml" for p in msg.message().walk())


def test_cancellation_promotes_first_waiting_in_order_and_tells_them(make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    user = factories.applicant()
    a = services.register(event, **person(1))
    b = services.register(event, user=user, source=Registration.Source.ACCOUNT, **person(2))
    c = services.register(event, **person(3))
    assert (b.state, c.state) == (State.WAITING, State.WAITING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(a)
    b.refresh_from_db(), c.refresh_from_db()
    assert b.state == State.CONFIRMED and c.state == State.WAITING
    assert [m.to for m in mail.outbox] == [[b.email]] and "候补成功" in mail.outbox[0].subject
    assert user.notifications.filter(title__contains="候补转为正式").count() == 1
    services.cancel_registration(b)
    c.refresh_from_db()
    assert c.state == State.CONFIRMED
    assert services.seats_taken(event) == 1


def test_approval_required_holds_seats_only_once_approved(make_event, outreach_user):
    event = make_event(capacity=1, requires_approval=True)
    a = services.register(event, **person(1))
    b = services.register(event, **person(2))
    assert (a.state, b.state) == (State.PENDING, State.PENDING)
    assert services.seats_taken(event) == 0
    services.decide_registration(b, outreach_user, approve=True)
    services.decide_registration(a, outreach_user, approve=True)
    a.refresh_from_db(), b.refresh_from_db()
    assert b.state == State.CONFIRMED and a.state == State.WAITING
    with pytest.raises(ValidationError):
        services.decide_registration(a, outreach_user, approve=False)


def test_rejected_registration_holds_no_seat(make_event, outreach_user):
    event = make_event(capacity=1, requires_approval=True)
    a = services.register(event, **person(1))
    services.decide_registration(a, outreach_user, approve=False)
    a.refresh_from_db()
    assert a.state == State.REJECTED and services.seats_taken(event) == 0


def test_same_mobile_twice_refused(make_event):
    event = make_event()
    services.register(event, **person(1))
    with pytest.raises(ValidationError) as exc:
        services.register(event, **person(1))
    assert "mobile" in exc.value.message_dict
    assert event.registrations.count() == 1


def test_closed_registration_window_and_unpublished_refused(make_event):
    event = make_event(registration_closes=timezone.now() - datetime.timedelta(hours=1),
                       registration_opens=timezone.now() - datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.register(event, **person(1))
    draft = make_event(published=False)
    with pytest.raises(ValidationError):
        services.register(draft, **person(2))


def test_entities_only_and_invite_code(make_event):
    entities = make_event(audience="entities")
    with pytest.raises(ValidationError):
        services.register(entities, **person(1))
    assert services.register(entities, user=factories.applicant(), **person(2)).state == State.CONFIRMED
    invited = make_event(audience="invited", invite_code="IP426")
    with pytest.raises(ValidationError) as exc:
        services.register(invited, invite_code="nope", **person(3))
    assert "invite_code" in exc.value.message_dict
    assert services.register(invited, invite_code="IP426", **person(3)).state == State.CONFIRMED


def test_walk_in_is_checked_in_and_no_show_after_start(make_event, outreach_user):
    event = make_event(capacity=2, start_in=datetime.timedelta(hours=-1))
    walk = services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user, **person(1))
    assert walk.state == State.CONFIRMED and walk.checked_in_at is not None
    other = services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user, **person(2))
    with pytest.raises(ValidationError):  # full
        services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user, **person(3))
    with pytest.raises(ValidationError):  # checked in: cannot be a no-show
        services.mark_no_show(other, outreach_user)


def test_no_show_only_after_start(make_event, outreach_user):
    event = make_event()
    reg = services.register(event, **person(1))
    with pytest.raises(ValidationError):
        services.mark_no_show(reg, outreach_user)


def test_lowering_capacity_below_confirmed_refused(make_event, outreach_user):
    event = make_event(capacity=3)
    for i in range(3):
        services.register(event, **person(i))
    event.capacity = 2
    with pytest.raises(ValidationError) as exc:
        services.save_event(event, outreach_user)
    assert "capacity" in exc.value.message_dict


def test_raising_capacity_promotes_waiting(make_event, outreach_user):
    event = make_event(capacity=1)
    services.register(event, **person(1))
    w = services.register(event, **person(2))
    event.capacity = 2
    services.save_event(event, outreach_user)
    w.refresh_from_db()
    assert w.state == State.CONFIRMED


def test_no_cancellation_once_the_event_has_ended(make_event):
    from outreach.models import Event

    event = make_event(capacity=1)
    first, waiting = services.register(event, **person(1)), services.register(event, **person(2))
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=5),
                                             ends_at=timezone.now() - datetime.timedelta(hours=2))
    with pytest.raises(ValidationError, match="活动已结束"):
        services.cancel_registration(first)
    waiting.refresh_from_db()
    assert waiting.state == Registration.State.WAITING  # nobody is told of a seat at a past event
