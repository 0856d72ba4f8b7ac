"""The public site (the "一网"): pages readable without an account, published content only."""
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from .models import Article, BaseActivity, Event, PracticeBase, Publication, Registration
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
    """The event calendar: coming events month by month with their seats, then the recent past."""
    now = timezone.now()
    qs = Event.objects.published().select_related("station")
    upcoming = list(qs.filter(ends_at__gte=now).order_by("starts_at")
                    .annotate(taken=Count("registrations", filter=Q(registrations__state=Registration.State.CONFIRMED)))[:100])
    for e in upcoming:
        e.month = timezone.localtime(e.starts_at).date().replace(day=1)
        e.seats_left = max(e.capacity - e.taken, 0)
    return render(request, "outreach/public/events.html", {
        "upcoming": upcoming, "past": qs.filter(ends_at__lt=now).order_by("-starts_at")[:30]})


def event(request, pk):
    obj = get_object_or_404(Event.objects.published().select_related("station"), pk=pk)
    from ipcenter.files.services import attachments_of

    from .services import seats_taken

    materials = attachments_of(obj) if obj.materials_public else []
    return render(request, "outreach/public/event.html", {"event": obj, "materials": materials,
                                                          "seats_left": max(obj.capacity - seats_taken(obj), 0)})


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
    """The practice bases with their firms and the work done there (two grouped queries)."""
    bases = list(PracticeBase.objects.published().select_related("league").annotate(n_firms=Count("firms")))
    work = {(r["base_id"], r["kind"]): r["n"] for r in BaseActivity.objects.filter(  # scoped: totals of published bases
        base__in=[b.pk for b in bases]).values("base_id", "kind").annotate(n=Sum("count"))}
    for b in bases:
        b.cases_guided = work.get((b.pk, BaseActivity.Kind.CASES_GUIDED), 0)
        b.suggestions = work.get((b.pk, BaseActivity.Kind.SUGGESTIONS), 0)
    totals = {"bases": len(bases), "chains": len({b.industry_chain for b in bases}),
              "firms": PracticeBase.firms.through.objects.filter(practicebase__in=[b.pk for b in bases])
              .values("organization").distinct().count(),
              "cases_guided": sum(b.cases_guided for b in bases), "suggestions": sum(b.suggestions for b in bases)}
    return render(request, "outreach/public/bases.html", {"bases": bases, "totals": totals})
