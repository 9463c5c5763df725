"""The public community input form at /p/input/<public_id>/: anonymous, no account, no
script, in English or Spanish (``?lang=es``), phone-first.

Protections, each answered with the same neutral page so a bot learns nothing about
which rule it tripped: a request body over a size cap (judged before the body is read),
a failed CSRF check, more than a few submissions per hour from one address (429), the
honeypot field filled, an answer over 2,000 characters or all over 10,000 (400).

CSRF stays on: the form is anonymous, but without it any other site could make its
visitors' browsers post here, each from its own address, defeating the per-address
limit. It needs one cookie (``csrftoken``) and a hidden field, which work without
JavaScript; the page sets no other cookie (no session). The check runs in the view,
after the size check, so an oversized body is refused without being read.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from upward.web.knowledge import community_store as store
from upward.web.knowledge.forms_community import (
    HONEYPOT,
    PublicAnswerForm,
    answer_field,
    raw_answers,
)
from upward.web.knowledge.i18n import public_language
from upward.web.knowledge.models import InputForm
from upward.web.workspace.throttle import client_ip


def _render(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["Accept-Language"])
    response["Cache-Control"] = "no-store"
    return response


def _base(form: InputForm | None, lang: str) -> dict[str, object]:
    if form is None:
        return {"lang": lang, "form_title": _("Community input")}
    return {
        "lang": lang,
        "input": form,
        "form_title": store.localized(form, "title", lang),
        "intro": store.localized(form, "intro", lang),
        "form_url": reverse("public:input_form", args=[form.public_id]) + f"?lang={lang}",
    }


def _missing(request: HttpRequest, lang: str) -> HttpResponse:
    context = {**_base(None, lang), "missing": True}
    return _render(request, "knowledge/input_unavailable.html", context, 404)


def refused(request: HttpRequest, form: InputForm, lang: str, status: int) -> HttpResponse:
    return _render(
        request,
        "knowledge/input_refused.html",
        {
            **_base(form, lang),
            "message": _("We could not accept this submission. Please try again later."),
        },
        status,
    )


def _csrf_failure(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    return check.process_view(request, lambda r: None, (), {}) is not None


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


@csrf_exempt  # checked in the view, after the size cap: see the module's docstring
def input_form(request: HttpRequest, public_id: str) -> HttpResponse:
    found = InputForm.objects.filter(public_id=public_id).first()
    with public_language(request) as lang:
        if found is None:
            return _missing(request, lang)
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not found.is_open:
            status = 200 if request.method != "POST" else 403
            return _render(request, "knowledge/input_unavailable.html", _base(found, lang), status)
        if request.method == "POST":
            return _submit(request, found, lang)
        answer_form = PublicAnswerForm(questions=found.questions, language=lang)
        return _show(request, found, lang, answer_form)


def _show(
    request: HttpRequest,
    form: InputForm,
    lang: str,
    answer_form: PublicAnswerForm,
    status: int = 200,
) -> HttpResponse:
    fields = [answer_form[answer_field(q)] for q in form.questions]
    context = {
        **_base(form, lang),
        "answer_form": answer_form,
        "fields": fields,
        "honeypot": answer_form[HONEYPOT],
        "max_chars": store.MAX_ANSWER_CHARS,
    }
    return _render(request, "knowledge/input_public.html", context, status)


def _submit(request: HttpRequest, form: InputForm, lang: str) -> HttpResponse:
    address = client_ip(request)
    if _declared_length(request) > store.MAX_BODY_BYTES:
        store.count_submission(form, address)
        return refused(request, form, lang, 400)
    if _csrf_failure(request):
        return refused(request, form, lang, 403)
    if store.over_limit(form, address):
        return refused(request, form, lang, 429)
    if request.POST.get(HONEYPOT, "") or store.oversized(raw_answers(request.POST, form.questions)):
        store.count_submission(form, address)
        return refused(request, form, lang, 400)
    answer_form = PublicAnswerForm(request.POST, questions=form.questions, language=lang)
    if not answer_form.is_valid():
        return _show(request, form, lang, answer_form, 400)
    store.submit(form, lang, answer_form.answers())
    store.count_submission(form, address)
    return redirect(reverse("public:input_form_thanks", args=[form.public_id]) + f"?lang={lang}")


def input_form_thanks(request: HttpRequest, public_id: str) -> HttpResponse:
    found = InputForm.objects.filter(public_id=public_id).first()
    with public_language(request) as lang:
        if found is None:
            return _missing(request, lang)
        return _render(request, "knowledge/input_thanks.html", _base(found, lang))


urls: list[URLPattern] = [
    path("input/<slug:public_id>/", input_form, name="input_form"),
    path("input/<slug:public_id>/thanks/", input_form_thanks, name="input_form_thanks"),
]
