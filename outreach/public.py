"""The public site (the "一网"): pages readable without an account, published content only."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import Article, Event, PracticeBase, Publication
from .services import sanitise_html


def home(request):
    return render(request, "outreach/public/home.html", {
        "events": Event.objects.published().upcoming().select_related("station")[:6],
        "news": Article.objects.published().exclude(kind=Article.Kind.GUIDE)[:6],
        "publications": Publication.objects.published()[:6],
    })


def articles(request, kind=None):
    qs = Article.objects.published()
    if kind in Article.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "outreach/public/articles.html", {"page_obj": page, "kind": kind,
                                                             "kinds": Article.Kind.choices})


def article(request, pk):
    obj = get_object_or_404(Article.objects.published(), pk=pk)
    # stored sanitised; cleaned again on the way out so nothing saved around the service reaches a page
    return render(request, "outreach/public/article.html", {"article": obj, "body": mark_safe(sanitise_html(obj.body))})


def guides(request):
    return render(request, "outreach/public/guides.html", {
        "guides": Article.objects.published().filter(kind=Article.Kind.GUIDE)})


def events(request):
    now = timezone.now()
    qs = Event.objects.published().select_related("station")
    return render(request, "outreach/public/events.html", {
        "upcoming": qs.filter(ends_at__gte=now).order_by("starts_at")[:100],
        "past": qs.filter(ends_at__lt=now).order_by("-starts_at")[:30]})


def event(request, pk):
    obj = get_object_or_404(Event.objects.published().select_related("station"), pk=pk)
    from ipcenter.files.services import attachments_of

    materials = attachments_of(obj) if obj.materials_public else []
    return render(request, "outreach/public/event.html", {"event": obj, "materials": materials})


def publications(request):
    from ipcenter.files.services import attachments_of

    qs = Publication.objects.published()
    kind = request.GET.get("kind")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    with_pdf = set(attachments_of(Publication.objects.filter(pk__in=[p.pk for p in page]))
                   .values_list("object_id", flat=True))
    for p in page:
        p.has_pdf = str(p.pk) in {str(i) for i in with_pdf}
    return render(request, "outreach/public/publications.html", {"page_obj": page, "kinds": Publication.Kind.choices,
                                                                 "kind": kind})


def publication_pdf(request, pk):
    """A published publication's PDF (a journal issue), for anyone."""
    from .services import publication_pdf as current_pdf
    from .views import _serve

    att = current_pdf(get_object_or_404(Publication.objects.published(), pk=pk))
    if att is None:
        raise Http404
    return _serve(att)


def bases(request):
    return render(request, "outreach/public/bases.html", {
        "bases": PracticeBase.objects.published().select_related("league")})
