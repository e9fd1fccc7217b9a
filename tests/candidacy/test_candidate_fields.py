"""One list of what is entered about a candidate (``candidacy.models.CANDIDATE_FIELDS``): the page form, the
API's input and detail serializers, the page's initial values, the detail page and the service all speak it."""

import inspect
import re
from pathlib import Path

from django.conf import settings

from candidacy.access import candidate_values
from candidacy.api.candidates import CandidateDetailSerializer, CandidateInputSerializer
from candidacy.forms import CandidateForm
from candidacy.models import CANDIDATE_FIELDS, Candidate
from candidacy.services import candidate_set
from silon.privacy import Need, Viewer
from tests import clock

EXTRA_INPUT = {"photo"}  # the photo is a file, checked and stored apart
DETAIL_TEMPLATE = Path(settings.BASE_DIR) / "templates" / "candidacy" / "candidate_detail.html"
SHOWN_APART = {"role", "photo"}  # the detail page also shows the candidate's role and photo, not entered as fields
# What ``candidacy.access.candidate_values`` passes through the masking policy: the page reads these from
# ``values``, never straight from ``candidate``.
MASKED = {"nik", "birth_date", "address"}


def test_every_field_is_a_candidate_column():
    columns = {f.name for f in Candidate._meta.get_fields()}
    assert set(CANDIDATE_FIELDS) <= columns and len(set(CANDIDATE_FIELDS)) == len(CANDIDATE_FIELDS)


def test_the_page_form_takes_the_list_in_its_order():
    assert [f for f in CandidateForm.base_fields if f not in EXTRA_INPUT] == list(CANDIDATE_FIELDS)


def test_the_api_input_takes_the_list_in_its_order():
    fields = CandidateInputSerializer().fields
    assert [f for f in fields if f not in EXTRA_INPUT] == list(CANDIDATE_FIELDS)


def test_the_api_detail_shows_every_field():
    shown = CandidateDetailSerializer.Meta.fields
    assert [f for f in shown if f in CANDIDATE_FIELDS] == list(CANDIDATE_FIELDS)


def test_the_service_takes_exactly_the_list():
    parameters = inspect.signature(candidate_set).parameters
    entered = [name for name in parameters if name not in {"actor", "pair", "role", *EXTRA_INPUT}]
    assert entered == list(CANDIDATE_FIELDS)


def template_gaps(source: str) -> list[str]:
    """What keeps a candidate page from showing exactly the list: a field of the list it leaves out, a field it
    shows that is not on the list, or a personal field it reads around the masking policy."""
    found = re.findall(r"\b(candidate|values)\.(\w+)", source)
    reads = sorted({(obj, name.removeprefix("get_").removesuffix("_display")) for obj, name in found})
    shown = {field for _obj, field in reads}
    gaps = [f"missing {field}" for field in CANDIDATE_FIELDS if field not in shown]
    gaps += [f"not on the list: {field}" for field in sorted(shown - set(CANDIDATE_FIELDS) - SHOWN_APART)]
    gaps += [f"unmasked: {field}" for obj, field in reads if obj == "candidate" and field in MASKED]
    gaps += [f"no masked value: {field}" for obj, field in reads if obj == "values" and field not in MASKED]
    return gaps


def test_the_detail_page_shows_the_list_through_the_masking_policy():
    assert template_gaps(DETAIL_TEMPLATE.read_text()) == []


def test_the_detail_page_check_finds_a_planted_gap():
    source = DETAIL_TEMPLATE.read_text()
    assert template_gaps(source.replace("{{ candidate.occupation }}", "")) == ["missing occupation"]
    assert template_gaps(source + "{{ candidate.updated_at }}") == ["not on the list: updated_at"]
    assert template_gaps(source.replace("values.nik", "candidate.nik")) == ["unmasked: nik"]
    assert template_gaps(source.replace("candidate.get_sex_display", "values.sex")) == ["no masked value: sex"]


def test_the_masked_fields_are_what_the_policy_gives_the_page():
    viewer = Viewer(need=Need.KPU)
    person = Candidate(
        nik="5201011203750001", birth_date=clock.years_before(clock.today(), 50), address="Jl. Pejanggik 1"
    )
    assert set(candidate_values(viewer, person)) == MASKED
