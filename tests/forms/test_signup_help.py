"""The sign-up form's example 统一社会信用代码 passes the check-digit rule it explains."""
import re

from django.utils import translation
from stdnum.cn import uscc

from ipcenter.accounts.forms import SignUpForm
from ipcenter.accounts.validators import validate_uscc


def test_the_uscc_example_in_the_help_text_is_valid():
    with translation.override("zh-hans"):
        help_text = str(SignUpForm.base_fields["uscc"].help_text)
    examples = re.findall(r"[0-9A-Z]{18}", help_text)
    assert examples, help_text
    for code in examples:
        assert uscc.is_valid(code), code
        validate_uscc(code)  # the portal's own validator agrees
