"""An event as an iCalendar file (RFC 5545), for the confirmation mail and the event pages."""
import datetime

from django.utils import timezone

from ipcenter.http import absolute_url


def _esc(text):
    return (str(text or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _utc(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _fold(line):
    """Lines longer than 75 octets are folded (continuation lines start with a space)."""
    out, raw = [], line.encode("utf-8")
    while len(raw) > 75:
        cut = 75
        while (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        out.append(raw[:cut].decode())
        raw = b" " + raw[cut:]
    out.append(raw.decode())
    return "\r\n".join(out)


def event_ics(event):
    location = event.venue or event.online_url
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ipcenter//outreach//ZH", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", "BEGIN:VEVENT",
        f"UID:outreach-event-{event.pk}@ipcenter",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{_esc(event.title)}",
        f"LOCATION:{_esc(location)}",
        f"DESCRIPTION:{_esc(event.description)}",
        f"URL:{absolute_url(event.get_public_url())}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
