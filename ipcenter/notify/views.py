"""Notification pages: list, mark read, and the bell badge (htmx)."""
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from ipcenter.http import is_safe_url, safe_next

from . import services
from .models import Notification


@login_required
def notification_list(request):
    qs = Notification.objects.visible_to(request.user)
    if request.GET.get("unread"):
        qs = qs.unread()
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "notify/list.html", {"page_obj": page, "only_unread": bool(request.GET.get("unread"))})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_read(request.user)
    return HttpResponseRedirect(safe_next(request, "/notifications/"))


@login_required
def open_notification(request, pk):
    """Mark one notification read and follow its link."""
    n = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    services.mark_read(request.user, [n.pk])
    target = n.url if is_safe_url(request, n.url) else "/notifications/"
    return HttpResponseRedirect(target)


@login_required
def bell(request):
    count = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "notify/_bell.html", {"unread_count": count})
