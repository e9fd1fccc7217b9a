"""One list of what is entered about a candidate (``candidacy.models.CANDIDATE_FIELDS``): the page form, the
API's input and detail serializers, the page's initial values and the service all speak it."""

import inspect

from candidacy.api.candidates import CandidateDetailSerializer, CandidateInputSerializer
from candidacy.forms import CandidateForm
from candidacy.models import CANDIDATE_FIELDS, Candidate
from candidacy.services import candidate_set

EXTRA_INPUT = {"photo"}  # the photo is a file, checked and stored apart


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
