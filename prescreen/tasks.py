from celery import shared_task

from . import services


@shared_task(name="prescreen.tasks.review_entity_risk")
def review_entity_risk():
    services.reinstate_expired_suspensions()
    return len(services.review_entity_risk())


@shared_task(name="prescreen.tasks.make_opinion_letter", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5, acks_late=True)
def make_opinion_letter(opinion_id):
    """Render and attach an issued opinion's letter (idempotent: a retry after a crash
    finds the letter already attached, or makes it exactly once)."""
    from .models import Opinion

    opinion = Opinion.objects.filter(pk=opinion_id).first()
    if opinion is None:
        return None
    return str(services.opinion_letter(opinion).pk)
