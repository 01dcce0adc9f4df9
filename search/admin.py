"""The admin header's one search box: a serial, an order number, a customer, a word of a note.
One hit (or one exact value) opens it; otherwise the ranked list, each row to its page."""

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from niagara.access import access_for
from relations.registry import entities

from .selectors import EXACT, search


def _admin_url(code: str, pk: int) -> str | None:
    meta = entities.get(code).model._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return None


def search_view(request, admin_site):
    term = request.GET.get("q", "").strip()[:200]
    hits, more = search(access_for(request), term, limit=50) if term else ([], False)
    rows = [
        {
            "kind": entities.get(hit.code).verbose_name,
            "label": hit.label,
            "url": _admin_url(hit.code, hit.pk),
            "exact": hit.score >= EXACT - 0.5,
            "matched": hit.matched.replace("_", " "),
        }
        for hit in hits
    ]
    exact = [row for row in rows if row["exact"]]
    landing = rows if len(rows) == 1 else exact if len(exact) == 1 else []
    if landing and landing[0]["url"]:
        return redirect(landing[0]["url"])
    context = {
        **admin_site.each_context(request),
        "title": f"Search: {term}" if term else "Search",
        "search_term": term,
        "rows": rows,
        "more": more,
    }
    return TemplateResponse(request, "admin/search.html", context)
