"""Admin-editable settings rows: one row per model, always pk 1."""
from django.db import models


class SingletonSettings(models.Model):
    """Base of the per-app settings models (rightsaid, mediation, prescreen)."""

    class Meta:
        abstract = True

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls):
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


def singleton_admin():
    """A ModelAdmin for a settings row: edit the one row, never add a second or delete it."""
    from django.contrib import admin

    class SingletonSettingsAdmin(admin.ModelAdmin):
        def has_add_permission(self, request):
            return not self.model.objects.exists()

        def has_delete_permission(self, request, obj=None):
            return False

    return SingletonSettingsAdmin
