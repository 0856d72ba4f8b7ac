"""Portal-wide pages: the per-role home page and the health check."""
import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ipcenter.accounts import roles
from ipcenter.deadlines.models import Deadline

log = logging.getLogger(__name__)

# Apps contribute home-page panels: {role: [callable(request) -> dict(title, template, context)]}
HOME_PANELS = {}


def register_home_panel(role_codes, func):
    for code in role_codes:
        HOME_PANELS.setdefault(code, []).append(func)
    return func


def home(request):
    """The signed-in user's work page; anonymous visitors get the public site's home, if an app
    declares one (``PortalAppConfig.public_home``), else the login page."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login
        from django.shortcuts import redirect

        from ipcenter.plugins import registry

        if registry().public_home:
            return redirect(registry().public_home)
        return redirect_to_login(request.get_full_path())
    user = request.user
    role = user.primary_role
    deadlines = (Deadline.objects.visible_to(user).pending().select_related("content_type")
                 .prefetch_related("target").order_by("due_at")[:10])
    panels = []
    seen = set()
    for code in roles.HOME_PRIORITY:
        if code in user.roles:
            for func in HOME_PANELS.get(code, []):
                if func in seen:
                    continue
                seen.add(func)
                panel = func(request)
                if panel:
                    panels.append(panel)
    calendar_warning = None
    if user.is_centre_wide:
        from ipcenter.deadlines.calendar import year_is_configured

        next_year = timezone.localdate().year + 1
        if not year_is_configured(next_year):
            calendar_warning = next_year
    return render(request, "home.html", {
        "role": role, "role_label": roles.ROLE_LABELS.get(role, ""), "deadlines": deadlines,
        "panels": panels, "calendar_warning": calendar_warning,
        "recent_notifications": user.notifications.all()[:5],
    })


def _check_redis():
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    client.ping()


def _check_broker():
    from ipcenter.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request):
    """JSON status of the database, Redis and the Celery broker (503 if any is down)."""
    checks = {}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        checks["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        checks["database"] = {"status": "error", "error": str(exc)[:200]}
    if settings.REDIS_URL:
        try:
            _check_redis()
            checks["redis"] = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = {"status": "error", "error": str(exc)[:200]}
    else:
        checks["redis"] = {"status": "not_configured"}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = {"status": "eager"}
    else:
        try:
            _check_broker()
            checks["broker"] = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = {"status": "error", "error": str(exc)[:200]}
    ok = all(c["status"] in ("ok", "not_configured", "eager") for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks,
                         "time": timezone.now().isoformat()}, status=200 if ok else 503)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
