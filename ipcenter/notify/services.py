"""Telling people things: in-app notifications and the e-mail that mirrors them.

``notify`` writes the notification rows in the caller's transaction; e-mails are
sent afterwards by ``send_pending_emails`` (a Celery task), so a rolled-back
action never mails anyone and a crashed mailer is simply retried.
"""
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from ipcenter.http import absolute_url

from .models import Notification

log = logging.getLogger(__name__)


def _recipients(users):
    if users is None:
        return []
    if hasattr(users, "pk") and not hasattr(users, "model"):
        return [users]
    return list(users)


def source_text(text, params=None):
    """``text`` and ``params`` in the source language (lazy texts evaluated in it, other
    values made JSON-able), for a row that is rendered in the viewer's language later
    (``Notification.display_title``).  A parameter may be ``{"text": …, "params": {…}}``,
    a template of its own."""
    with translation.override(settings.LANGUAGE_CODE):
        stored = str(text or "")
        values = {k: _source_value(v) for k, v in (params or {}).items()}
    if values:
        try:
            stored % values
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"notification text {stored!r} does not take {sorted(values)}") from exc
    return stored, values


def _source_value(value):
    if isinstance(value, dict) and "text" in value:
        text, params = source_text(value["text"], value.get("params"))
        return {"text": text, "params": params}
    if isinstance(value, Promise):  # a translatable text (a choice label): rendered when shown
        return {"text": str(value), "params": {}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # a record, a date: its text in the source language


def notify(users, title, body="", url="", target=None, email=True, key=None, title_params=None,
           body_params=None):
    """Notify each user once; with ``key`` a repeated call delivers nothing new.

    ``title``/``body`` are translatable texts (``gettext_lazy``), templates with
    ``title_params``/``body_params`` (``gettext_lazy("预审案件已受理：%(title)s")``,
    ``{"title": case.title}``): they are kept in the source language and shown in each
    viewer's; a lazy parameter (a choice label) is translated too, other values are shown
    as given.  A plain-string body (a reason the actor typed) is shown as it is.  Returns the notifications created.
    """
    title, title_params = source_text(title, title_params)
    body_translatable = isinstance(body, Promise)
    body, body_params = source_text(body, body_params)
    created = []
    ct = ContentType.objects.get_for_model(target) if target is not None else None
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        url = target.get_absolute_url()
    for user in _recipients(users):
        if user is None or not user.is_active:
            continue
        fields = dict(
            recipient=user, title=title[:300], title_params=title_params, body=body,
            body_params=body_params, body_translatable=body_translatable, url=url or "",
            content_type=ct, object_id=target.pk if target is not None else None, key=key,
            email_status=(Notification.EmailStatus.PENDING if email and user.email
                          else Notification.EmailStatus.NONE),
        )
        if key is None:
            created.append(Notification.objects.create(**fields))
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(**fields))
        except IntegrityError:
            continue  # already delivered under this key
    if created and any(n.email_status == Notification.EmailStatus.PENDING for n in created):
        transaction.on_commit(_kick_mailer)
    return created


def notify_role(role, **kwargs):
    """Notify every active user holding ``role``."""
    from ipcenter.accounts.models import User

    return notify(User.objects.filter(groups__name=role, is_active=True).distinct(), **kwargs)


def _kick_mailer():
    from .tasks import send_pending_emails

    try:
        send_pending_emails.delay()
    except Exception:  # broker down: the beat schedule picks them up later
        log.warning("could not queue e-mail task; beat will retry", exc_info=True)


def mark_read(user, ids=None):
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def send_pending_emails(limit=200):
    """Send the e-mails of pending notifications; rows are locked (skip locked)
    so two mailers never send the same one."""
    sent, seen = 0, set()
    while len(seen) < limit:
        with transaction.atomic():
            batch = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(email_status=Notification.EmailStatus.PENDING)
                .exclude(pk__in=seen)
                .select_related("recipient")[:20]
            )
            if not batch:
                break
            for n in batch:
                seen.add(n.pk)
                n.email_attempts += 1
                link = absolute_url(n.url) if n.url else ""
                try:
                    # users keep no language preference: mail is in the site's language
                    with translation.override(settings.LANGUAGE_CODE):
                        subject, text = n.display_title, n.display_body
                    send_mail(subject, "\n\n".join(x for x in [text, link] if x),
                              settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
                except Exception:
                    log.exception("e-mail for notification %s failed", n.pk)
                    n.email_status = (Notification.EmailStatus.FAILED if n.email_attempts >= 5
                                      else Notification.EmailStatus.PENDING)
                    n.save(update_fields=["email_status", "email_attempts"])
                    continue
                n.email_status = Notification.EmailStatus.SENT
                n.email_sent_at = timezone.now()
                n.save(update_fields=["email_status", "email_sent_at", "email_attempts"])
                sent += 1
    return sent
