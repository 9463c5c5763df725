"""The template engine of every page: Jinja2 through Django's Jinja2 backend.

``settings.TEMPLATES`` names :class:`Jinja2` (the backend) and :func:`environment` (the
environment it builds, from :func:`upward.reports.templating.environment`, which the
documents use too). Django's own template language stays configured only for the
admin, whose templates are Django's.

The helpers pages need are the few Django template tags and filters they used, taken
from Django itself so the output stays the same: ``url()``, ``static()``, ``date``,
``pluralize``, ``floatformat``, ``intcomma`` and so on.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import django.forms
import jinja2
from django.contrib.humanize.templatetags.humanize import intcomma
from django.forms.renderers import BaseRenderer, DjangoTemplates, EngineMixin
from django.http import HttpRequest
from django.template import TemplateDoesNotExist, defaultfilters
from django.template.backends import jinja2 as django_jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime

from upward.catalog import CITY, COUNTY, PUBLISHED, WEAK
from upward.reports.templating import environment as base_environment


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{% url name a b %}`` of Django templates: the path of a named route."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def raw(value: float | int | None) -> str:
    """A number exactly as stored (round-trips through float()), for data attributes."""
    if value is None:
        return ""
    return repr(float(value)) if isinstance(value, float) else str(value)


def get(mapping: dict[str, Any], key: Any) -> Any:
    """``labels.sector|get(row.sector)``: the value for key, or the key itself."""
    if not isinstance(mapping, dict):
        return key
    return mapping.get(key, key)


def labels_of(keys: Any, mapping: dict[str, str]) -> str:
    """A list of ids as their labels, comma-separated."""
    return ", ".join(str(mapping.get(k, k)) for k in (keys or []))


def date(value: Any, fmt: str | None = None) -> str:
    return defaultfilters.date(template_localtime(value), fmt)


def time(value: Any, fmt: str | None = None) -> str:
    return defaultfilters.time(template_localtime(value), fmt)


def _as_django(function: Callable[..., Any]) -> Callable[..., Any]:
    """A Django filter that, as in Django templates, reads a missing value as ""."""

    @functools.wraps(function)
    def apply(value: Any, *args: Any) -> Any:
        return function("" if isinstance(value, jinja2.Undefined) else value, *args)

    return apply


FILTERS = {
    "raw": raw,
    "get": get,
    "labels_of": labels_of,
    **{
        name: _as_django(function)
        for name, function in {
            "date": date,
            "time": time,
            "pluralize": defaultfilters.pluralize,
            "floatformat": defaultfilters.floatformat,
            "intcomma": intcomma,
            "capfirst": defaultfilters.capfirst,
            "truncatewords": defaultfilters.truncatewords,
            "truncatechars": defaultfilters.truncatechars,
            "linebreaksbr": defaultfilters.linebreaksbr,
            "json_script": defaultfilters.json_script,
            "urlencode": defaultfilters.urlencode,
        }.items()
    },
}


def environment(**options: Any) -> jinja2.Environment:
    """The pages' environment (``OPTIONS["environment"]`` in ``settings.TEMPLATES``)."""
    options["undefined"] = jinja2.ChainableUndefined  # a missing name prints "", as before
    env = base_environment(**options)
    env.globals.update(url=url, static=static)
    # the catalog's words
    env.globals.update(COUNTY=COUNTY, CITY=CITY, PUBLISHED=PUBLISHED, WEAK=WEAK)
    env.filters.update(FILTERS)
    env.add_extension("jinja2.ext.i18n")  # {{ _("text") }}: Django's catalogs (public pages)
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    return env


class Template(django_jinja2.Template):
    """A page template: the request's context processors under the view's context (the
    view's names win, as with Django templates), and, under tests, the
    ``template_rendered`` signal that Django's test client reads ``response.context``
    from (as it gets it from Django templates)."""

    @property
    def name(self) -> str | None:
        return self.template.name

    def render(
        self, context: dict[str, Any] | None = None, request: HttpRequest | None = None
    ) -> str:
        full: dict[str, Any] = {}
        if request is not None:
            full["request"] = request
            full["csrf_input"] = django_jinja2.csrf_input_lazy(request)
            full["csrf_token"] = django_jinja2.csrf_token_lazy(request)
            for processor in self.backend.template_context_processors:
                full.update(processor(request))
        full.update(context or {})
        test_signals = sys.modules.get("django.test.signals")  # imported by tests only
        if test_signals is not None:
            test_signals.template_rendered.send(sender=self, template=self, context=full)
        return self.template.render(full)


class Jinja2(django_jinja2.Jinja2):
    """Django's Jinja2 backend, returning :class:`Template`."""

    def from_string(self, template_code: str) -> Template:
        return Template(self.env.from_string(template_code), self)

    def get_template(self, template_name: str) -> Template:
        found = super().get_template(template_name)
        return Template(found.template, self)


class FormRenderer(EngineMixin, BaseRenderer):  # type: ignore[misc]
    """Form fields and widgets (``settings.FORM_RENDERER``), rendered by the pages' engine
    from the Jinja2 versions of its widget templates that Django ships. The admin's own
    widgets exist only as Django templates; they are left to Django's renderer."""

    def get_template(self, template_name: str) -> Any:
        try:
            return self.engine.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)

    @cached_property
    def django(self) -> DjangoTemplates:
        return DjangoTemplates()

    @cached_property
    def engine(self) -> Jinja2:
        return Jinja2(
            {
                "APP_DIRS": False,
                "DIRS": [Path(django.forms.__file__).parent / "jinja2"],
                "NAME": "forms",
                # Django's widget templates are written for Jinja2's default here.
                "OPTIONS": {
                    "environment": "upward.web.jinja.environment",
                    "keep_trailing_newline": False,
                },
            }
        )
