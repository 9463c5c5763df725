"""Public explorer pages. Views are thin: read the request, call the library, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from upward.catalog import get_catalog


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "explorer/home.html", {"catalog": get_catalog()})
