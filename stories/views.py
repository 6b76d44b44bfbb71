from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from directory import mapdata
from directory.models import ContentVersion, Entry
from directory.open_data import feature_collection
from relmap.pagecache import Version, answers_per_version, cache_page_per_version

from . import citations
from .casemaker import (
    MAX_STATISTICS,
    MAX_STORIES,
    TEXT_LIMITS,
    needs_tidying,
    read_case,
    stories_fitting_first,
)
from .forms import CaseBuilderForm, StoryFilterForm
from .models import EvidenceTheme, Source, Statistic, Story

STORIES_PER_PAGE = 12
RELATED_STORIES = 3
# Statistics and sources have no time of change, so pages showing them are kept only briefly.
PAGE_CACHE_SECONDS = 60


# The version of the stories and the evidence (statistics, sources, themes), which every
# change to them moves forward (stories/admin.py, load_content).
stories_version = Version(lambda: ContentVersion.stamp(ContentVersion.Scope.STORIES))


@require_safe
def story_list(request):
    form = StoryFilterForm(request.GET)
    stories = form.apply(Story.objects.published().for_cards())
    context = {
        "form": form,
        "page": Paginator(stories, STORIES_PER_PAGE).get_page(request.GET.get("page")),
    }
    return render(request, "stories/story_list.html", context)


@require_safe
@cache_page_per_version(stories_version, mapdata.current_version, timeout=PAGE_CACHE_SECONDS)
def story_detail(request, slug):
    # Staff may preview a story before it is published; for everyone else it does not exist.
    stories = Story.objects.all() if request.user.is_staff else Story.objects.published()
    story = get_object_or_404(stories.prefetch_related("sectors", "themes", "sections"), slug=slug)
    context = {
        "story": story,
        "story_location": story.map_location(),
        "related_stories": Story.objects.published()
        .related_to(story)
        .for_cards()[:RELATED_STORIES],
        "related_entries": Entry.objects.public().filter(stories=story),
    }
    return render(request, "stories/story_detail.html", context)


@require_safe
@answers_per_version(stories_version, cors=True, public=True, max_age=300)
def map_layer(request):
    """Published stories with a location, as GeoJSON points for the directory map's layer
    and anyone else's: open data, like entries.geojson."""
    features = [story.geojson_feature() for story in Story.objects.published().located()]
    return JsonResponse(feature_collection(features), content_type="application/geo+json")


# The source of the reported words that open the case maker page.
QUOTATION_SOURCE = "waldinger-schulz-2023"


@require_safe
@cache_page_per_version(stories_version, timeout=PAGE_CACHE_SECONDS)
def case_maker(request):
    themes = list(EvidenceTheme.objects.all())
    theme = next((t for t in themes if t.slug == request.GET.get("theme")), None)
    published = Statistic.objects.published()
    statistics = published.for_cards().prefetch_related("related_sources")
    references = Source.objects.cited_by(published, also=(QUOTATION_SOURCE,))
    context = {
        "themes": themes,
        "theme": theme,
        "theme_unknown": "theme" in request.GET and theme is None,
        "statistics": statistics.with_theme(theme) if theme else statistics,
        "stories": Story.objects.published().for_cards(),
        "references": citations.reference_list(references),
        "share_url": request.build_absolute_uri(reverse("stories:case_maker")),
        "structured_data": citations.evidence_structured_data(statistics),
    }
    return render(request, "stories/case_maker.html", context)


@require_safe
def case_builder(request):
    case = read_case(request.GET)
    form = CaseBuilderForm(
        {name: getattr(case, name) for name in TEXT_LIMITS}
        | {"sector": request.GET.get("sector", ""), "theme": request.GET.getlist("theme")}
    )
    sector, themes = form.fit()
    statistics = Statistic.objects.published().for_cards()
    context = {
        "form": form,
        "case": case,
        "chosen_statistics": {s.pk: number for number, s in enumerate(case.statistics, 1)},
        "chosen_stories": {s.pk: number for number, s in enumerate(case.stories, 1)},
        "statistics": statistics.fitting_first(sector=sector, themes=themes),
        "stories": stories_fitting_first(sector=sector),
        "limits": {"statistics": MAX_STATISTICS, "stories": MAX_STORIES},
    }
    return render(request, "stories/case_maker_builder.html", context)


@require_safe
def case_page(request):
    case = read_case(request.GET)
    if needs_tidying(request.GET):
        # The builder sends order numbers; the address to share is the short, ordered one.
        return redirect(f"{reverse('stories:case')}?{case.query_string()}")
    references = citations.reference_list(Source.objects.cited_by(case.statistics))
    context = {"case": case, "references": references}
    context["share_url"] = request.build_absolute_uri(f"?{case.query_string()}")
    context["case_text"] = render_to_string("stories/case_maker_case.txt", context, request)
    return render(request, "stories/case_maker_case.html", context)


def references_download(request, write, extension: str, content_type: str):
    """The case's references for a reference manager: our source data only, never the
    visitor's words, so nothing they typed can reach a file."""
    case = read_case(request.GET)
    sources = citations.in_reference_order(Source.objects.cited_by(case.statistics))
    response = HttpResponse(write(sources), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="case-references.{extension}"'
    return response


@require_safe
def case_bibtex(request):
    return references_download(request, citations.bibtex, "bib", "application/x-bibtex")


@require_safe
def case_ris(request):
    return references_download(request, citations.ris, "ris", "application/x-research-info-systems")
