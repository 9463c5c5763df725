"""Django admin for operators: curate the shared strategy library. The starter set comes
from ``planning/strategies.yaml`` (edit it there; a migrate brings it in step), so its
entries are read-only here; operators add and retire their own."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from upward.planning.strategy_library import LibraryError, check_url
from upward.web.strategy.models import SharedStrategy


class SharedStrategyForm(forms.ModelForm):
    class Meta:
        model = SharedStrategy
        fields = "__all__"

    def clean_sources(self) -> Any:
        sources = self.cleaned_data.get("sources")
        if not isinstance(sources, list) or not sources:
            raise forms.ValidationError('A list of sources: [{"citation": "…", "url": "…"}].')
        for n, source in enumerate(sources, start=1):
            if not isinstance(source, dict) or not str(source.get("citation", "")).strip():
                raise forms.ValidationError(f"Source {n} needs a citation.")
            try:
                check_url(str(source.get("url", "")))
            except LibraryError as problem:
                raise forms.ValidationError(f"Source {n}: {problem}") from None
        return sources


@admin.register(SharedStrategy)
class SharedStrategyAdmin(admin.ModelAdmin):
    form = SharedStrategyForm
    list_display = ("name", "pillar", "evidence_level", "origin", "active")
    list_filter = ("pillar", "evidence_level", "origin", "active")
    search_fields = ("name", "summary", "slug")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.origin == "starter":
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retire (active off) instead: coalitions' copies keep their origin
