"""Fault injection for the library's deploy-time functions (the ``enabled=False`` window disabler
and the ``AwsManagedBaseline`` registrar): their inline code runs here, with its own boto3,
against stand-ins on localhost for SSM and for CloudFormation's response URL.

Whatever goes wrong (access denied, throttling, a reset or hung connection, a malformed event,
a window or a registration removed by hand, a response URL that refuses, resets or hangs), each
request ends with exactly one answer received by CloudFormation, with the right status, within
the function's time limit; nothing escapes the handler.
"""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

import botocore.retries.standard
import pytest

from mw_constructs._internal import aws_baselines, window_disabler
from mw_constructs._internal.handlers import FUNCTION_TIMEOUT, SERVICE_TIMEOUT, worst_case_seconds
from tests.support.standins import StandIn

WINDOW = "mw-0123456789abcdef0"
BASELINE = "arn:aws:ssm:eu-west-1:123456789012:patchbaseline/pb-0123456789abcdef0"
OTHER = "arn:aws:ssm:eu-west-1:123456789012:patchbaseline/pb-0fedcba9876543210"
THROTTLED = ("error", 400, "ThrottlingException")
DENIED = ("error", 400, "AccessDeniedException")
GONE = ("error", 400, "DoesNotExistException")


class Context:
    """What Lambda passes as ``context``: only the time left is read."""

    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


def load(code: str) -> Dict[str, Any]:
    """The function's module, with its waits scaled down (seconds become tenths) for the tests."""
    module: Dict[str, Any] = {"__name__": "index"}
    exec(compile(code, "index.py", "exec"), module)
    module.update(CONNECT=1, READ=0.5, REPLY_TIMEOUT=0.5, PROPAGATION_WAIT=0.05, RESERVE=1)
    return module


@pytest.fixture(autouse=True)
def aws(monkeypatch) -> None:
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "eu-west-1"), ("AWS_EC2_METADATA_DISABLED", "true")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    # botocore's backoff between retries (up to 20 s each) shortened; the retries themselves are real.
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount", lambda self, context: 0.01)


def run(code: str, event: Dict[str, Any], ssm_script, reply_script=(("ok", None),), *, seconds: float = 60,
        monkeypatch) -> tuple:
    """Run the handler once; the stand-ins' records and the time it took."""
    module = load(code)
    with StandIn(ssm_script) as ssm, StandIn(reply_script) as reply:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", ssm.url)
        event = {**event, "ResponseURL": reply.url + "/presigned"} if "ResponseURL" in event else event
        started = time.monotonic()
        module["handler"](event, Context(seconds))
        took = time.monotonic() - started
    return ssm, reply, took


def event(request_type: str, resource_type: str = window_disabler.RESOURCE_TYPE, **properties: Any) -> Dict[str, Any]:
    found = {"RequestType": request_type, "ResponseURL": "set by run()", "StackId": "arn:aws:cloudformation:eu-west-1:"
             "123456789012:stack/s/1", "RequestId": "r-1", "LogicalResourceId": "Resource", "ResourceType": resource_type,
             "ResourceProperties": {"ServiceToken": "arn", **properties}}
    if request_type != "Create":
        found["PhysicalResourceId"] = f"disabled-{WINDOW}" if resource_type == window_disabler.RESOURCE_TYPE else "physical"
    return found


def window_event(request_type: str) -> Dict[str, Any]:
    return event(request_type, WindowId=WINDOW, Window={"Duration": 3})


def one_answer(reply: StandIn) -> Dict[str, Any]:
    received = reply.received()
    assert len(received) == 1, reply.requests
    return received[0]


# ------------------------------------------------------------------ the window disabler


DISABLER = window_disabler.HANDLER_CODE


@pytest.mark.parametrize("request_type, enabled", [("Create", False), ("Update", False), ("Delete", True)])
def test_disabler_answers_success(monkeypatch, request_type, enabled):
    ssm, reply, _ = run(DISABLER, window_event(request_type), [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == [("UpdateMaintenanceWindow", {"WindowId": WINDOW, "Enabled": enabled})]
    answer = one_answer(reply)
    assert answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] == f"disabled-{WINDOW}"
    assert answer["RequestId"] == "r-1" and answer["LogicalResourceId"] == "Resource"


@pytest.mark.parametrize("request_type", ["Create", "Update"])
def test_access_denied_for_good_is_failed(monkeypatch, request_type):
    ssm, reply, _ = run(DISABLER, window_event(request_type), [DENIED], seconds=0.5, monkeypatch=monkeypatch)
    answer = one_answer(reply)
    assert answer["Status"] == "FAILED" and answer["Reason"].startswith("AccessDeniedException: ")


def test_access_denied_while_a_new_grant_propagates_is_waited_out(monkeypatch):
    ssm, reply, _ = run(DISABLER, window_event("Create"), [DENIED, DENIED, ("ok", {})], monkeypatch=monkeypatch)
    assert len(ssm.requests) == 3 and one_answer(reply)["Status"] == "SUCCESS"


def test_three_throttling_errors_are_retried(monkeypatch):
    ssm, reply, _ = run(DISABLER, window_event("Create"), [THROTTLED] * 3 + [("ok", {})], monkeypatch=monkeypatch)
    assert len(ssm.requests) == 4 and one_answer(reply)["Status"] == "SUCCESS"


def test_throttling_that_never_ends_is_failed_after_the_retries(monkeypatch):
    ssm, reply, _ = run(DISABLER, window_event("Create"), [THROTTLED], monkeypatch=monkeypatch)
    assert len(ssm.requests) == 5  # botocore's standard mode: ATTEMPTS in all
    answer = one_answer(reply)
    assert answer["Status"] == "FAILED" and answer["Reason"].startswith("ThrottlingException")


def test_a_reset_connection_is_retried(monkeypatch):
    ssm, reply, _ = run(DISABLER, window_event("Update"), ["reset", ("ok", {})], monkeypatch=monkeypatch)
    assert len(ssm.requests) == 2 and one_answer(reply)["Status"] == "SUCCESS"


def test_a_hung_ssm_endpoint_ends_in_failed_in_bounded_time(monkeypatch):
    ssm, reply, took = run(DISABLER, window_event("Create"), ["hang"], monkeypatch=monkeypatch)
    assert len(ssm.requests) == 5
    answer = one_answer(reply)
    assert answer["Status"] == "FAILED" and "timeout" in answer["Reason"].lower()
    assert took < 5 * (1 + 0.5) + 2  # ATTEMPTS x (CONNECT + READ), scaled, and the answer


@pytest.mark.parametrize("request_type", ["Update", "Delete"])
def test_a_window_deleted_out_of_band_is_done(monkeypatch, request_type):
    ssm, reply, _ = run(DISABLER, window_event(request_type), [GONE], monkeypatch=monkeypatch)
    answer = one_answer(reply)
    assert answer["Status"] == "SUCCESS" and answer["Reason"] == f"window {WINDOW} no longer exists"


@pytest.mark.parametrize("case, changes, status", [
    ("no properties", {"ResourceProperties": None}, "FAILED"),
    ("no window id", {"ResourceProperties": {"ServiceToken": "arn"}}, "FAILED"),
    ("window id not a string", {"ResourceProperties": {"WindowId": ["mw-1"]}}, "FAILED"),
    ("unknown request type", {"RequestType": "Replace"}, "FAILED"),
    ("no request type", {"RequestType": None}, "FAILED"),
])
def test_a_malformed_event_is_answered_failed(monkeypatch, case, changes, status):
    ssm, reply, _ = run(DISABLER, {**window_event("Create"), **changes}, [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == []
    answer = one_answer(reply)
    assert answer["Status"] == status and answer["Reason"].startswith("ValueError: "), answer


def test_a_delete_whose_properties_cannot_be_read_is_done(monkeypatch):
    """A failed create of a malformed event is followed by its delete: nothing to undo."""
    ssm, reply, _ = run(DISABLER, {**window_event("Delete"), "ResourceProperties": {}}, [("ok", {})],
                        monkeypatch=monkeypatch)
    assert ssm.requests == [] and one_answer(reply)["Status"] == "SUCCESS"


@pytest.mark.parametrize("bad", [None, "not an event", {"RequestType": "Create"}, {"ResponseURL": "file:///etc/passwd"}])
def test_an_event_without_a_response_url_is_not_answered_and_does_not_raise(monkeypatch, bad):
    module = load(DISABLER)
    with StandIn([("ok", {})]) as ssm:
        monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", ssm.url)
        module["handler"](bad, Context(60))
    assert ssm.requests == []


@pytest.mark.parametrize("reply_script, attempts", [
    ([("error", 403, "AccessDenied")], 1),  # an expired URL: not tried again
    ([("error", 404, "NoSuchKey")], 1),
    (["reset", ("ok", None)], 2),
    (["hang", ("ok", None)], 2),
    ([("error", 503, "SlowDown"), ("ok", None)], 2),
])
def test_the_answer_to_cloudformation_is_sent_once_and_never_raises(monkeypatch, reply_script, attempts):
    ssm, reply, _ = run(DISABLER, window_event("Create"), [("ok", {})], reply_script, monkeypatch=monkeypatch)
    assert len(reply.requests) == attempts
    received = reply.received()
    assert len(received) == (1 if ("ok", None) in reply_script else 0)
    if received:
        assert received[0]["Status"] == "SUCCESS"


def test_a_response_url_that_always_hangs_ends_in_bounded_time(monkeypatch):
    _, reply, took = run(DISABLER, window_event("Create"), [("ok", {})], ["hang"], monkeypatch=monkeypatch)
    assert len(reply.requests) == 3 and reply.answered == []
    assert took < 3 * 0.5 + 1 + 2 + 1  # REPLY_ATTEMPTS x REPLY_TIMEOUT (scaled) and the pauses between


def test_the_time_limits_leave_room_for_the_answer():
    """Every SDK call with all its retries, then the answer, fit in the function's limit; and
    CloudFormation waits a little longer than the function may run, not an hour."""
    assert worst_case_seconds() + 30 < FUNCTION_TIMEOUT < SERVICE_TIMEOUT <= 3600


# ------------------------------------------------------------------ the AWS baseline registrar


REGISTRAR = aws_baselines.HANDLER_CODE


def lookup_event(request_type: str, name: str = "AWS-WindowsPredefinedPatchBaseline-OS") -> Dict[str, Any]:
    return event(request_type, aws_baselines.LOOKUP_TYPE, BaselineName=name)


def group_event(request_type: str, baseline: str = BASELINE, group: str = "web",
                old: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    found = event(request_type, aws_baselines.PATCH_GROUP_TYPE, BaselineId=baseline, PatchGroup=group)
    if old is not None:
        found["OldResourceProperties"] = {"ServiceToken": "arn", **old}
    return found


def page(*names: str, token: Optional[str] = None) -> tuple:
    body: Dict[str, Any] = {"BaselineIdentities": [
        {"BaselineId": BASELINE if name.endswith("-OS") else OTHER, "BaselineName": name} for name in names]}
    if token:
        body["NextToken"] = token
    return ("ok", body)


def test_lookup_finds_the_exact_name_on_any_page(monkeypatch):
    """NAME_PREFIX 'AWS-WindowsPredefinedPatchBaseline-OS' also matches '...-OS-Applications'."""
    ssm, reply, _ = run(REGISTRAR, lookup_event("Create"),
                        [page("AWS-WindowsPredefinedPatchBaseline-OS-Applications", token="next"),
                         page("AWS-WindowsPredefinedPatchBaseline-OS")], monkeypatch=monkeypatch)
    assert ssm.operations() == ["DescribePatchBaselines"] * 2
    assert ssm.requests[0][1]["Filters"] == [{"Key": "NAME_PREFIX", "Values": ["AWS-WindowsPredefinedPatchBaseline-OS"]},
                                             {"Key": "OWNER", "Values": ["AWS"]}]
    assert ssm.requests[1][1]["NextToken"] == "next"
    answer = one_answer(reply)
    assert answer["Status"] == "SUCCESS" and answer["Data"] == {"BaselineId": BASELINE}
    assert answer["PhysicalResourceId"] == BASELINE


def test_lookup_of_a_name_that_only_prefixes_others_fails(monkeypatch):
    _, reply, _ = run(REGISTRAR, lookup_event("Create"), [page("AWS-WindowsPredefinedPatchBaseline-OS-Applications")],
                      monkeypatch=monkeypatch)
    answer = one_answer(reply)
    assert answer["Status"] == "FAILED" and "no AWS predefined patch baseline is named " \
        "AWS-WindowsPredefinedPatchBaseline-OS" in answer["Reason"]


def test_lookup_delete_calls_nothing(monkeypatch):
    ssm, reply, _ = run(REGISTRAR, lookup_event("Delete"), [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == [] and one_answer(reply)["Status"] == "SUCCESS"


def test_registration_create_and_delete(monkeypatch):
    ssm, reply, _ = run(REGISTRAR, group_event("Create"), [("ok", {"BaselineId": BASELINE, "PatchGroup": "web"})],
                        monkeypatch=monkeypatch)
    assert ssm.requests == [("RegisterPatchBaselineForPatchGroup", {"BaselineId": BASELINE, "PatchGroup": "web"})]
    assert one_answer(reply)["PhysicalResourceId"] == f"{BASELINE}:web"
    ssm, reply, _ = run(REGISTRAR, group_event("Delete"), [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.operations() == ["DeregisterPatchBaselineForPatchGroup"] and one_answer(reply)["Status"] == "SUCCESS"


@pytest.mark.parametrize("code", ["DoesNotExistException", "InvalidResourceId"])
def test_registration_removed_by_hand_does_not_block_deleting_the_stack(monkeypatch, code):
    _, reply, _ = run(REGISTRAR, group_event("Delete"), [("error", 400, code)], monkeypatch=monkeypatch)
    answer = one_answer(reply)
    assert answer["Status"] == "SUCCESS" and "no longer registered" in answer["Reason"]


def test_registration_update_swaps_the_old_one_for_the_new(monkeypatch):
    ssm, reply, _ = run(REGISTRAR, group_event("Update", group="db", old={"BaselineId": BASELINE, "PatchGroup": "web"}),
                        [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == [("DeregisterPatchBaselineForPatchGroup", {"BaselineId": BASELINE, "PatchGroup": "web"}),
                            ("RegisterPatchBaselineForPatchGroup", {"BaselineId": BASELINE, "PatchGroup": "db"})]
    answer = one_answer(reply)
    assert answer["Status"] == "SUCCESS" and answer["PhysicalResourceId"] == "physical"  # kept: no delete follows


def test_registration_update_without_a_change_calls_nothing(monkeypatch):
    ssm, reply, _ = run(REGISTRAR, group_event("Update", old={"BaselineId": BASELINE, "PatchGroup": "web"}),
                        [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == [] and one_answer(reply)["Status"] == "SUCCESS"


def test_a_patch_group_that_has_another_baseline_is_failed_with_the_reason(monkeypatch):
    _, reply, _ = run(REGISTRAR, group_event("Create"), [("error", 400, "AlreadyExistsException")], monkeypatch=monkeypatch)
    answer = one_answer(reply)
    assert answer["Status"] == "FAILED" and "patch group web already has a baseline" in answer["Reason"]
    assert "AlreadyExistsException" in answer["Reason"]


@pytest.mark.parametrize("script, status", [
    ([THROTTLED, THROTTLED, THROTTLED, ("ok", {})], "SUCCESS"),
    (["reset", ("ok", {})], "SUCCESS"),
    (["hang"], "FAILED"),
    ([DENIED], "FAILED"),
])
def test_registrar_faults(monkeypatch, script, status):
    _, reply, _ = run(REGISTRAR, group_event("Create"), script, seconds=0.5, monkeypatch=monkeypatch)
    assert one_answer(reply)["Status"] == status


@pytest.mark.parametrize("changes", [{"ResourceProperties": {}}, {"ResourceProperties": {"PatchGroup": 5}},
                                     {"RequestType": "Explode"}])
def test_registrar_malformed_events_are_answered_failed(monkeypatch, changes):
    ssm, reply, _ = run(REGISTRAR, {**group_event("Create"), **changes}, [("ok", {})], monkeypatch=monkeypatch)
    assert ssm.requests == [] and one_answer(reply)["Status"] == "FAILED"


def test_the_handlers_never_raise(monkeypatch):
    """A bug in act() itself (here: a client that raises on creation) still ends in an answer."""
    module = load(DISABLER)
    module["ssm"] = lambda: (_ for _ in ()).throw(RuntimeError("broken client"))
    with StandIn([("ok", None)]) as reply:
        module["handler"]({**window_event("Create"), "ResponseURL": reply.url + "/x"}, Context(60))
    assert one_answer(reply)["Status"] == "FAILED" and "broken client" in one_answer(reply)["Reason"]
