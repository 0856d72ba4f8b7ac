"""Admin of navigation: the editable industry-chain taxonomies and the alias table."""
from django.contrib import admin

from .models import ApplicantAlias, ChainLink, ChainNode, IndustryChain, NavigationProject, TechEffectTerm


class ChainNodeInline(admin.TabularInline):
    model = ChainNode
    extra = 1


@admin.register(ChainLink)
class ChainLinkAdmin(admin.ModelAdmin):
    list_display = ("name", "chain", "order")
    list_filter = ("chain",)
    inlines = [ChainNodeInline]


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    extra = 1
    show_change_link = True


class TechEffectTermInline(admin.TabularInline):
    model = TechEffectTerm
    extra = 1


@admin.register(IndustryChain)
class IndustryChainAdmin(admin.ModelAdmin):
    list_display = ("name",)
    inlines = [ChainLinkInline, TechEffectTermInline]


@admin.register(ApplicantAlias)
class ApplicantAliasAdmin(admin.ModelAdmin):
    list_display = ("alias", "canonical")
    search_fields = ("alias", "canonical")


@admin.register(NavigationProject)
class NavigationProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "project_type", "status", "lead")
    list_filter = ("project_type", "status")
    filter_horizontal = ("members",)
