from django.shortcuts import get_object_or_404, render

from .models import Council


def council_list(request):
    councils = Council.objects.filter(is_active=True).select_related("region")
    return render(request, "councils/council_list.html", {"councils": councils})


def council_detail(request, slug):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug, is_active=True)
    return render(request, "councils/council_detail.html", {"council": council})
