"""The public self-identification survey: /p/survey/<nonce>/, one question, no account.

It works without JavaScript and in English or Spanish (``?lang=``, else the browser's
language). A link that is unknown (mistyped or forged: 404), answered, expired or
withdrawn (410) gets the same plain page, which names neither the workspace nor the
official. Only a POST with the form's CSRF token changes anything; a body larger than
the one question needs is refused (413) before it is read.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from upward.web.knowledge.forms_officials import SurveyForm
from upward.web.knowledge.i18n import public_language
from upward.web.knowledge.officials_store import (
    ANSWERED,
    EXPIRED,
    NOT_FOUND,
    REVOKED,
    VALID_FOR,
    Refusal,
    answer,
    usable_link,
)

MAX_POST_BYTES = 4096
"""The form is one choice and its token: anything larger is not this form."""
TOO_LARGE = "too_large"


def _refusal_text(state: str) -> tuple[str, str]:
    texts = {
        NOT_FOUND: (
            _("This survey link is not valid"),
            _(
                "Check that you opened the whole link from the message you received. If it "
                "still does not work, ask the person who sent it for a new one."
            ),
        ),
        ANSWERED: (
            _("This survey has already been answered"),
            _(
                "Each link takes one answer, and this one has been given. Thank you. To "
                "change an answer, ask the person who sent the link for a new one."
            ),
        ),
        EXPIRED: (
            _("This survey link has expired"),
            _(
                "Links work for %(days)s days. Ask the person who sent it for a new one.",
            )
            % {"days": VALID_FOR.days},
        ),
        REVOKED: (
            _("This survey link was withdrawn"),
            _(
                "It can no longer be used. If you received a newer link, use that one; "
                "otherwise ask the person who sent it."
            ),
        ),
        TOO_LARGE: (
            _("Your answer could not be accepted"),
            _("The form that was sent is larger than this survey accepts. Go back and try again."),
        ),
    }
    return texts[state]


def _refused(request: HttpRequest, refusal: Refusal, lang: str) -> HttpResponse:
    title, message = _refusal_text(refusal.state)
    context = {"lang": lang, "title": title, "message": message}
    return render(request, "knowledge/survey_refused.html", context, status=refusal.status)


def _too_large(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_POST_BYTES
    except ValueError:
        return True


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def official_survey(request: HttpRequest, nonce: str) -> HttpResponse:
    with public_language(request) as lang:
        if request.method == "POST" and _too_large(request):
            return _refused(request, Refusal(413, TOO_LARGE), lang)
        found = usable_link(nonce)
        if isinstance(found, Refusal):
            return _refused(request, found, lang)
        form = SurveyForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            if not answer(found, form.cleaned_data["race"]):
                again = usable_link(nonce)
                return _refused(
                    request, again if isinstance(again, Refusal) else Refusal(410, ANSWERED), lang
                )
            return render(request, "knowledge/survey_thanks.html", {"lang": lang})
        official = found.official
        context = {
            "lang": lang,
            "form": form,
            "coalition": official.workspace.name,
            "official": official,
            "expires": found.expires_at,
        }
        return render(
            request, "knowledge/survey.html", context, status=400 if form.is_bound else 200
        )
