from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


meeting_list = meeting_create = council_calendar = registration_detail = registration_qr = _todo
registration_cancel = meeting_detail = meeting_calendar = register = agenda_manage = _todo
registration_list = check_in = minutes_edit = minutes_pdf = vote_create = meeting_action = _todo
