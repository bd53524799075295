"""Property-based fuzzing of the public API (hypothesis).

For every generated configuration of a window, its schedule, a target and a task, either the
library raises ValidationError (with a registered code and a message), or the app synthesizes
with aws-cdk-lib's schema validation turned into errors and the template has no cfn-lint
finding at all. Anything else (another exception, a template that fails lint) is a bug.

Profiles: ``fast`` (default, 500 derandomized examples, part of the normal test run) and
``long`` (5,000 random examples): ``MW_FUZZ_PROFILE=long python -m pytest tests/quality/test_fuzz.py``.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from aws_cdk import Duration, Stack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mw_constructs as mw
from mw_constructs import ERROR_CODES, ValidationError
from tests.support.api_model import check_template
from tests.support.apps import cfn_lint_findings, new_app

settings.register_profile("fast", max_examples=500, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("MW_FUZZ_PROFILE", "fast")
# Fields whose "broken" values are not all rejected: a broken duration or cutoff can still make
# a valid pair, a broken name of a target or task may be None-like, and so on. For all others a
# corrupted field must be refused.
LENIENT = {"dates", "offset", "instance_ids"}
UTC = timezone.utc
RUNS = {"examples": 0, "rejected": 0, "synthesized": 0, "api_requests": 0}


class Fields:
    """Draws each field valid, except the one field (if any) this example corrupts."""

    def __init__(self, draw, broken):
        self.draw = draw
        self.broken = broken
        self.corrupted = False  # True once a corrupted value was actually used

    def __call__(self, name, valid, *invalid):
        if name == self.broken and invalid:
            self.corrupted = True
            return self.draw(st.sampled_from(invalid) if not isinstance(invalid[0], st.SearchStrategy) else invalid[0])
        return self.draw(valid)


FIELD_NAMES = ["schedule", "time_zone", "offset", "dates", "duration", "cutoff", "window_name", "description",
               "allow_unassociated", "tags", "target", "priority", "max_concurrency", "max_errors", "cutoff_behavior",
               "task_name", "timeout", "comment", "document_version", "operation", "reboot_option", "document",
               "parameters", "instance_ids", "runbook", "runbook_parameters", "function", "qualifier", "payload",
               "state_machine", "execution_name", "sfn_input", "targetless"]

# ------------------------------------------------------------------ schedules

VALID_CRON = [
    ["0", "5", "30", "59", "0/15", "0,30", "00"],  # minutes
    ["0", "2", "22", "23", "1-10/3", "*/6", "9,17"],  # hours
    ["1", "15", "L", "15W", "1-7", "*"],  # day of month (day of week '?')
    ["*", "*", "1", "FEB", "JAN-MAR", "1/1", "*/3"],  # month
    ["MON", "MON-FRI", "SAT,SUN", "THU#3", "6L", "2#5", "*"],  # day of week (day of month '?')
    ["*", "*", "*", "2030", "2025-2040"],  # year
]
BROKEN_CRON_FIELDS = ["60", "0/1", "24", "32", "L-3", "LW", "13", "jan", "0", "8", "3#1,6#3", "1969", "a", ""]


@st.composite
def valid_cron(draw):
    minute, hour, dom, month, dow, year = (draw(st.sampled_from(values)) for values in VALID_CRON)
    if draw(st.booleans()):
        dow = "?"
    else:
        dom = "?"
    if dom in ("L", "15W", "15", "1", "1-7") and month == "FEB" and dom == "31W":
        dom = "L"
    text = f"cron({minute} {hour} {dom} {month} {dow} {year})"
    try:
        mw.WindowSchedule.expression(text)
    except ValidationError:  # e.g. 0/15 with */6 is fine, but guard rare combinations
        text = "cron(0 2 ? * SUN *)"
    return text


@st.composite
def broken_cron(draw):
    fields = [draw(st.sampled_from(values)) for values in VALID_CRON]
    fields[draw(st.integers(0, 5))] = draw(st.sampled_from(BROKEN_CRON_FIELDS))
    variant = draw(st.integers(0, 5))
    body = " ".join(fields)
    return {0: f"cron({body} *)", 1: f"CRON({body})", 2: body}.get(variant, f"cron({body})")


valid_rate = st.builds(lambda n: f"rate({n} {'day' if n == 1 else 'days'})", st.integers(1, 30))
broken_rate = st.sampled_from(["rate(1 days)", "rate(0 days)", "rate(2 minutes)", "rate(1 week)", "rate(1.5 hours)"])
valid_at = st.builds(lambda days: f"at({(datetime(2030, 1, 1) + timedelta(days=days)):%Y-%m-%dT%H:%M:%S})", st.integers(0, 900))
ZONES = [None, "UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Kolkata"]


def schedule(draw, field):
    text = field("schedule", st.one_of(valid_cron(), valid_cron(), valid_rate, valid_at),
                 st.one_of(broken_cron(), broken_rate, st.just("at(2030-02-30T00:00:00)")))
    kind = text.split("(")[0]
    zone = None if kind == "at" else field("time_zone", st.sampled_from(ZONES), "Mars/Base", "etc/UTC", "", 5)
    offset = field("offset", st.one_of(st.none(), st.integers(1, 6)) if kind == "cron" else st.none(), 0, 7, "2", 2.0)
    start = field("dates", st.one_of(st.none(), st.just(datetime(2029, 6, 1, tzinfo=UTC))), datetime(2030, 1, 1))
    end = field("dates", st.one_of(st.none(), st.just(datetime(2031, 6, 1, tzinfo=UTC))), datetime(2029, 1, 1, tzinfo=UTC))
    return mw.WindowSchedule.expression(text, time_zone=zone, schedule_offset=offset, start_date=start, end_date=end)


# ------------------------------------------------------------------ constructs

valid_name = st.one_of(st.none(), st.from_regex(r"[a-zA-Z0-9_.\-]{3,40}", fullmatch=True))
invalid_names = ("ab", "has space", "x" * 129, "ünicode", 7)
valid_text = st.one_of(st.none(), st.text(min_size=1, max_size=100))
tag_text = st.from_regex(r"[A-Za-z0-9 _.:/=\-@]{1,12}", fullmatch=True)
valid_instance_ids = st.lists(st.sampled_from(["i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"]),
                              min_size=1, max_size=3, unique=True)
invalid_instance_ids = (["i-123"], [], ["i-01234567", "i-01234567"], "i-01234567")


def window_props(draw, field):
    duration_hours = field("duration", st.integers(2, 24), 0, 25)
    duration = Duration.hours(duration_hours) if isinstance(duration_hours, int) else duration_hours
    if field("duration", st.just(True), False) is False:
        duration = draw(st.sampled_from([3, "3", None, Duration.minutes(90)]))
    cutoff_hours = field("cutoff", st.integers(0, max(duration_hours - 1, 0)), duration_hours, 24)
    return dict(
        schedule=schedule(draw, field),
        duration=duration,
        cutoff=Duration.hours(cutoff_hours),
        window_name=field("window_name", valid_name, *invalid_names),
        description=field("description", valid_text, "", "x" * 129),
        allow_unassociated_targets=field("allow_unassociated", st.booleans(), "yes"),
        tags=field("tags", st.one_of(st.none(), st.dictionaries(tag_text, tag_text, max_size=3)),
                   {"aws:owner": "x"}, {"": "x"}, {"bad#": "x"}),
    )


def target(draw, field, stack, window):
    kind = draw(st.sampled_from(["patch_group", "tags", "instances", "group"]))
    common = dict(target_name=field("target", valid_name, *invalid_names),
                  description=draw(valid_text), owner_information=draw(valid_text))
    if kind == "patch_group":
        return mw.PatchGroupTarget(stack, "Target", window=window,
                                   patch_group=field("target", st.one_of(tag_text, st.lists(tag_text, min_size=1, max_size=3, unique=True)), "", "web#1"),
                                   tag_key=field("target", st.sampled_from(["Patch Group", "PatchGroup"]), "patch group"), **common)
    if kind == "tags":
        return mw.WindowTarget(stack, "Target", window=window, tags=field("target", st.dictionaries(
            tag_text.filter(lambda t: "+" not in t), st.one_of(tag_text, st.lists(tag_text, min_size=1, max_size=2, unique=True)),
            min_size=1, max_size=2), {}, {"bad+key": "v"}, {"a": ["1", "2", "3"], "b": ["1", "2", "3"]}), **common)
    if kind == "instances":
        return mw.WindowTarget(stack, "Target", window=window,
                               instance_ids=field("instance_ids", valid_instance_ids, *invalid_instance_ids), **common)
    return mw.WindowTarget(stack, "Target", window=window,
                           resource_group=field("target", st.from_regex(r"[a-zA-Z0-9_.\-]{1,30}", fullmatch=True), "my group"),
                           resource_type_filters=field("target", st.one_of(st.none(), st.just(["AWS::EC2::Instance"])), ["EC2"]),
                           **common)


def task(draw, field, stack, window, window_target):
    kind = draw(st.sampled_from(["patch", "command", "automation", "lambda", "step_functions"]))
    use_ids = window.allow_unassociated_targets and draw(st.booleans())
    targetless = kind not in ("patch", "command") and draw(st.booleans())
    if targetless:  # SSM refuses rate control on a task without targets: only "targetless" breaks it
        # (a max_concurrency or max_errors corrupted here would be thrown away, yet marked as used)
        given = dict(max_concurrency=draw(st.sampled_from(["1", "10%"])), max_errors=draw(st.sampled_from(["0", "1"])))
        rate = field("targetless", st.just(dict(max_concurrency=None, max_errors=None)), dict(given, max_errors=None), given)
    else:
        rate = dict(
            max_concurrency=field("max_concurrency", st.sampled_from(["1", "10%", "100%", 5, mw.MaxConcurrency.percent(25)]),
                                  "0", "101%", None, "05"),
            max_errors=field("max_errors", st.sampled_from(["0", "1", "10%", 0, mw.MaxErrors.count(2)]), "101%", None, "-1"),
        )
    common = dict(
        window=window,
        targets=None if use_ids or targetless else [window_target],
        instance_ids=field("instance_ids", valid_instance_ids, *invalid_instance_ids) if use_ids and not targetless else None,
        priority=field("priority", st.integers(0, 5), -1, "1", True),
        cutoff_behavior=field("cutoff_behavior", st.sampled_from([None, mw.CutoffBehavior.CANCEL_TASK,
                                                                  mw.CutoffBehavior.CONTINUE_TASK]), "CANCEL"),
        task_name=field("task_name", valid_name, *invalid_names),
        description=draw(valid_text),
        **rate,
    )
    resource_id = "{{RESOURCE_ID}}" if not targetless else "{{WINDOW_EXECUTION_ID}}"
    if kind == "automation":
        return mw.AutomationTask(
            stack, "Task",
            document=field("runbook", st.sampled_from(["AWS-RestartEC2Instance", "AWS-CreateImage", "AWS-StopEC2Instance"]),
                           "AWS-RunShellScript", "has space"),
            parameters=field("runbook_parameters", st.just({"InstanceId": [resource_id]}),
                             {"InstanceID": [resource_id]}, {"InstanceId": ["{{RESOURCEID}}"]}, {},
                             {"InstanceId": ["{{LOGGING_S3_REGION}}"]}),
            document_version=field("document_version", st.sampled_from([None, "$LATEST", "$DEFAULT", 3]), "latest", 0),
            **common,
        )
    if kind == "lambda":
        return mw.LambdaTask(
            stack, "Task",
            function=field("function", st.sampled_from(["Patch-Check", "arn:aws:lambda:eu-west-1:123456789012:function:Check"]),
                           "has space", "arn:aws:lambda:eu-west-1:1234:function:x", 5),
            qualifier=field("qualifier", st.sampled_from([None, "live", "$LATEST", "7"]), "", "has space"),
            payload=field("payload", st.one_of(st.none(), st.dictionaries(st.text(max_size=8), st.text(max_size=30), max_size=3),
                                               st.just({"id": resource_id})),
                          "{not json", {"big": "x" * 5000}, {"when": datetime(2030, 1, 1)}),
            **common,
        )
    if kind == "step_functions":
        return mw.StepFunctionsTask(
            stack, "Task",
            state_machine=field("state_machine", st.just("arn:aws:states:eu-west-1:123456789012:stateMachine:Patch"),
                                "arn:aws:states:eu-west-1:123456789012:activity:x", "Patch"),
            input=field("sfn_input", st.one_of(st.none(), st.just({"id": resource_id}), st.just('{"a": 1}')),
                        "[1,", "x" * 10),
            execution_name=field("execution_name", st.sampled_from([None, "patch-{{INVOCATION_ID}}"]),
                                 "patch", "has space {{INVOCATION_ID}}", "x" * 81),
            **common,
        )
    run_command = dict(
        timeout=field("timeout", st.sampled_from([None, Duration.seconds(30), Duration.minutes(10), Duration.hours(2)]),
                      Duration.seconds(10), Duration.days(40), 600),
        comment=field("comment", st.one_of(st.none(), st.text(max_size=100)), "x" * 101),
        document_version=field("document_version", st.sampled_from([None, "$LATEST", "$DEFAULT", 3]), "latest", 0),
    )
    if kind == "patch":
        operation = field("operation", st.sampled_from([mw.PatchOperation.SCAN, mw.PatchOperation.INSTALL, "Install"]), "Patch")
        install = operation in (mw.PatchOperation.INSTALL, "Install")
        return mw.RunPatchBaselineTask(
            stack, "Task", operation=operation,
            reboot_option=field("reboot_option", st.sampled_from([None, mw.RebootOption.REBOOT_IF_NEEDED, mw.RebootOption.NO_REBOOT])
                                if install else st.none(), "Reboot", mw.RebootOption.NO_REBOOT if not install else "Reboot"),
            **common, **run_command,
        )
    return mw.RunCommandTask(
        stack, "Task",
        document=field("document", st.sampled_from(["AWS-RunShellScript", "Acme-Patch",
                                                    "arn:aws:ssm:eu-west-1:123456789012:document/Acme"]), "x", "has space",
                       "AWS-RestartEC2Instance"),
        parameters=field("parameters", st.one_of(st.none(), st.dictionaries(
            st.sampled_from(["commands", "executionTimeout"]),
            st.one_of(st.text(min_size=1, max_size=20), st.lists(st.text(min_size=1, max_size=20), min_size=1, max_size=2)),
            max_size=2)), {"commands": 5}, {"commands": ["echo {{TARGET_ID}}"]}),
        **common, **run_command,
    )


def build(draw, field):
    """One random app (half the time fully valid, else with one field corrupted)."""
    app = new_app()
    stack = Stack(app, "Fuzz")
    window = mw.PatchingWindow(stack, "Window", **window_props(draw, field))
    window_target = target(draw, field, stack, window)
    task(draw, field, stack, window, window_target)
    return app


@settings.get_profile(PROFILE)
@given(st.data())
def test_every_configuration_is_rejected_with_a_code_or_synthesizes_a_clean_template(data):
    RUNS["examples"] += 1
    broken = data.draw(st.sampled_from([None] * len(FIELD_NAMES) + FIELD_NAMES), label="broken field")
    field = Fields(data.draw, broken)
    try:
        app = build(data.draw, field)
    except ValidationError as error:
        RUNS["rejected"] += 1
        assert error.code in ERROR_CODES and error.message
        return
    assert not field.corrupted or broken in LENIENT, f"a corrupted {broken} was not rejected"
    template = app.synth().get_stack_by_name("Fuzz").template  # schema findings are errors here
    RUNS["synthesized"] += 1
    assert cfn_lint_findings(template) == []
    resources, requests, disagreements = check_template(template)  # the SSM API's own model (tests/support/api_model.py)
    RUNS["api_requests"] += requests
    assert disagreements == []


def test_the_fuzz_run_explored_both_outcomes():
    """Runs after the property (file order): a fuzz run that only ever rejects proves little."""
    if RUNS["examples"] == 0:
        return  # the property test was not selected
    print(f"fuzz ({PROFILE}): {RUNS}")
    assert RUNS["examples"] >= settings.get_profile(PROFILE).max_examples
    assert RUNS["rejected"] > 0 and RUNS["synthesized"] >= RUNS["examples"] // 10, RUNS


# ------------------------------------------------------------------ regressions found by the fuzzer


def test_regression_control_character_in_free_text_is_rejected():
    """Fuzz finding 1: description '\\x7f' (DEL) reached the template raw, and cfn-lint refused it."""
    import pytest

    app = new_app()
    stack = Stack(app, "Regression")
    with pytest.raises(ValidationError) as info:
        mw.PatchingWindow(stack, "W", schedule=mw.WindowSchedule.expression("cron(0 0 ? * MON *)"),
                          duration=Duration.hours(2), cutoff=Duration.hours(0), description="\x7f")
    assert info.value.code == "InvalidDescription" and "U+007F" in info.value.message


def test_regression_characters_beyond_the_basic_plane_are_fine():
    """Not a bug: an emoji in a description lints clean once the template is read as CDK writes it."""
    app = new_app()
    stack = Stack(app, "Emoji")
    mw.PatchingWindow(stack, "W", schedule=mw.WindowSchedule.expression("cron(0 0 ? * MON *)"),
                      duration=Duration.hours(2), cutoff=Duration.hours(0), description="patch night \U0001F600")
    assert cfn_lint_findings(app.synth().get_stack_by_name("Emoji").template) == []
