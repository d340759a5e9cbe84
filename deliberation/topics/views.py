from django.shortcuts import get_object_or_404, render

from .models import Topic


def topic_detail(request, pk):
    topic = get_object_or_404(Topic.objects.select_related("council", "region"), pk=pk)
    return render(request, "topics/topic_detail.html", {"topic": topic})
