"""Organization scale (issue 11): follow-the-sun schedules, checks scoped to an account and Region,
PatchingStackSet (service-managed StackSet through cdk-stacksets), IAM names in many Regions,
and the organization example."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from aws_cdk import App, Aws, Duration, Environment, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Annotations, Match, Template
from cdk_stacksets import StackSetStack

from examples import app as example_app  # examples/app.py
from examples import organization as organization_example  # examples/organization.py
from mw_constructs import (
    AwsManagedBaseline,
    EnvironmentSchedule,
    MaintenanceWindowRole,
    OperatingSystem,
    PatchGroupTarget,
    PatchingStackSet,
    PatchingWindow,
    RegionalTimeZones,
    WindowSchedule,
)
from mw_constructs.checks import WindowFacts, analyse
from mw_constructs.cli import main
from mw_constructs.quotas import CONTEXT_KEY
from tests.support.apps import (
    STRICT_CONTEXT,
    cfn_lint_findings,
    new_app,
    raises_code,
    sunday_window,
)

REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"]
ZONES = RegionalTimeZones.local(REGIONS)
OU = "ou-ab12-nonprod1"
ADMIN = Environment(account="111111111111", region="us-east-1")
NOW = datetime(2026, 11, 25, tzinfo=timezone.utc)


def admin_stack(context=None) -> Stack:
    return Stack(App(context={**STRICT_CONTEXT, **(context or {})}), "Admin", env=ADMIN)


def follow_the_sun_window(scope, id="Window", hours=4, expression="cron(0 22 ? * TUE *)", zones=ZONES, **options):
    return PatchingWindow(scope, id, schedule=WindowSchedule.expression(expression, time_zone=zones),
                          duration=Duration.hours(hours), cutoff=Duration.hours(1), **options)


def warnings_of(app: App) -> list:
    assembly = app.synth()
    return [message.entry.data for stack in assembly.stacks for message in stack.messages
            if message.level.name == "WARNING"]


# ------------------------------------------------------------------ RegionalTimeZones (values)


def test_local_time_zones_are_the_regions_cities():
    assert dict(ZONES.items()) == {"ap-southeast-2": "Australia/Sydney", "eu-west-1": "Europe/Dublin",
                                   "us-east-1": "America/New_York"}


def test_a_follow_the_sun_schedule_runs_at_the_same_local_time_in_each_region():
    schedule = WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=ZONES)
    opens = {region: schedule.in_region(region).next_runs(1, after=NOW)[0] for region in REGIONS}
    assert {(run.hour, run.minute, run.strftime("%a")) for run in opens.values()} == {(2, 0, "Sun")}
    assert sorted(run.astimezone(timezone.utc).strftime("%a %H:%M") for run in opens.values()) == [
        "Sat 15:00", "Sun 02:00", "Sun 07:00"]  # Sydney (AEDT), Dublin (GMT), New York (EST)


@pytest.mark.parametrize("zones, code, words", [
    ({"eu-west-1": "Europe/Dublln"}, "UnknownTimeZone", "zones['eu-west-1'] must be an IANA time zone name"),
    ({"eu-west": "Europe/Dublin"}, "InvalidRegion", "zones key must be an AWS Region name such as 'eu-west-1': got 'eu-west'"),
    ({}, "InvalidType", "zones must be a non-empty dict"),
    ({"eu-west-1": 1}, "InvalidType", "zones['eu-west-1'] must be an IANA time zone name"),
])
def test_fails_when_regional_time_zones_are_invalid(zones, code, words):
    with raises_code(code) as error:
        RegionalTimeZones(zones)
    assert words in str(error.value)


def test_fails_when_a_region_has_no_local_zone_known():
    with raises_code("RegionWithoutTimeZone") as error:
        RegionalTimeZones.local(["eu-west-1", "xx-nowhere-9"])
    assert "['xx-nowhere-9']" in str(error.value) and "RegionalTimeZones({region: 'Area/City'" in str(error.value)


def test_fails_when_runs_are_asked_without_a_region():
    schedule = WindowSchedule.expression("cron(0 2 ? * SUN *)", time_zone=ZONES)
    with raises_code("RegionalSchedule") as error:
        schedule.next_runs(1, after=NOW)
    assert "schedule.in_region('ap-southeast-2')" in str(error.value)
    with raises_code("RegionWithoutTimeZone"):
        schedule.in_region("eu-west-2")


def test_at_with_zones_per_region_warns():
    schedule = WindowSchedule.expression("at(2027-01-01T00:00:00)", time_zone=ZONES)
    [finding] = analyse([WindowFacts(name="w", schedule=schedule, duration_hours=3, cutoff_hours=1)], after=NOW)
    assert finding.id == "mw-constructs:AtWithTimeZone"


# ------------------------------------------------------------------ follow-the-sun windows in templates


def test_follow_the_sun_window_reads_its_zone_from_a_region_keyed_mapping():
    stack = Stack(new_app(), "Patching")
    follow_the_sun_window(stack)
    follow_the_sun_window(stack, "Second")  # the same zones: one mapping
    follow_the_sun_window(stack, "Third", zones=RegionalTimeZones({"eu-west-1": "Europe/London"}))
    template = Template.from_stack(stack).to_json()
    assert template["Mappings"]["RegionalTimeZones"] == {
        "ap-southeast-2": {"TimeZone": "Australia/Sydney"}, "eu-west-1": {"TimeZone": "Europe/Dublin"},
        "us-east-1": {"TimeZone": "America/New_York"}}
    assert template["Mappings"]["RegionalTimeZones2"] == {"eu-west-1": {"TimeZone": "Europe/London"}}
    zones = sorted(json.dumps(r["Properties"]["ScheduleTimezone"]) for r in template["Resources"].values()
                   if r["Type"] == "AWS::SSM::MaintenanceWindow")
    assert zones == sorted([json.dumps({"Fn::FindInMap": [name, {"Ref": "AWS::Region"}, "TimeZone"]})
                            for name in ("RegionalTimeZones", "RegionalTimeZones", "RegionalTimeZones2")])
    assert cfn_lint_findings(template) == []


def test_fails_when_a_stack_region_has_no_zone():
    stack = Stack(new_app(), "London", env=Environment(region="eu-west-2"))
    with raises_code("RegionWithoutTimeZone") as error:
        follow_the_sun_window(stack)
    assert "Region 'eu-west-2' has no time zone" in str(error.value)
    assert stack.node.try_find_child("Window") is None


def test_for_environment_takes_regional_zones_and_says_so():
    stack = Stack(new_app(), "Patching")
    window = PatchingWindow.for_environment(stack, "Prod", environment=EnvironmentSchedule.PRODUCTION, time_zone=ZONES)
    Template.from_stack(stack).has_resource_properties("AWS::SSM::MaintenanceWindow", {
        "Description": "production patching, weekends 06:00-11:00 (local time of each Region)",
        "ScheduleTimezone": {"Fn::FindInMap": ["RegionalTimeZones", {"Ref": "AWS::Region"}, "TimeZone"]}})
    assert window.schedule.time_zones == ZONES


def test_follow_the_sun_overlap_is_reported_at_synthesis():
    """Europe and the US change clocks on different Sundays: in the weeks between, Tuesday 22:00
    in Dublin (GMT) and in New York (EDT) are only 4 hours apart, so 5-hour windows overlap."""
    app = new_app()
    stack = Stack(app, "Patching")
    follow_the_sun_window(stack, hours=5, zones=RegionalTimeZones.local(["eu-west-1", "us-east-1"]))
    warnings = warnings_of(app)
    assert len(warnings) == 1 and "[ack: mw-constructs:FollowTheSunOverlap]" in warnings[0]
    assert "Patching/Window [eu-west-1] and Patching/Window [us-east-1]" in warnings[0]


def test_four_hour_follow_the_sun_windows_take_turns():
    app = new_app()
    follow_the_sun_window(Stack(app, "Patching"), hours=4)
    assert warnings_of(app) == []


def test_follow_the_sun_overlap_check_on_plain_facts():
    def facts(region, zone, hours, tier="production"):
        schedule = WindowSchedule.expression("cron(0 6 ? * SAT *)", time_zone=zone)
        return WindowFacts(name=f"W [{region}]", schedule=schedule, duration_hours=hours, cutoff_hours=1, tier=tier,
                           region=region, environment=("a", region), follow_the_sun=True)

    after = datetime(2027, 3, 1, tzinfo=timezone.utc)
    overlapping = analyse([facts("eu-west-1", "Europe/Dublin", 5), facts("us-east-1", "America/New_York", 5)], after=after)
    assert [f.id for f in overlapping] == ["mw-constructs:FollowTheSunOverlap"]
    assert "Sat 2027-03-20 06:00 GMT to 11:00 GMT overlaps Sat 06:00 EDT to 11:00 EDT (Sat 10:00 UTC)" in overlapping[0].message
    # other tiers, or the same Region, never count as follow-the-sun overlaps
    assert analyse([facts("eu-west-1", "Europe/Dublin", 5), facts("us-east-1", "America/New_York", 5, tier="non-production")],
                   after=after) == []
    assert analyse([facts("eu-west-1", "Europe/Dublin", 4), facts("us-east-1", "America/New_York", 4)], after=after) == []


def test_production_before_non_production_is_judged_per_region():
    def facts(name, expression, tier, region):
        return WindowFacts(name=name, schedule=WindowSchedule.expression(expression), duration_hours=2, cutoff_hours=1,
                           tier=tier, region=region, environment=(None, region))

    early_prod, late_nonprod = "cron(0 2 ? * MON *)", "cron(0 2 ? * WED *)"
    found = analyse([facts("prod", early_prod, "production", "eu-west-1"),
                     facts("test", late_nonprod, "non-production", "eu-west-1")], after=NOW)
    assert [f.id for f in found] == ["mw-constructs:ProductionBeforeNonProduction"]
    # a non-production window in another Region does not make this Region's production late or early
    assert analyse([facts("prod", early_prod, "production", "eu-west-1"),
                    facts("test", late_nonprod, "non-production", "us-east-1")], after=NOW) == []


# ------------------------------------------------------------------ checks per account and Region


def four_environments(app: App) -> list:
    stacks = []
    for account in ("111111111111", "222222222222"):
        for region in ("eu-west-1", "us-east-1"):
            stacks.append(example_app.CompletePatchingStack(app, f"Patching{account[:1]}{region.replace('-', '')}",
                                                            env=Environment(account=account, region=region)))
    return stacks


def test_the_same_patching_stack_for_two_accounts_and_two_regions_has_no_conflict_or_warning():
    app = new_app()
    four_environments(app)  # patch groups, baselines and overlapping windows repeat in each
    assert warnings_of(app) == []


def test_fails_when_the_same_patching_stack_is_built_twice_for_one_account_and_region():
    app = new_app()
    env = Environment(account="111111111111", region="eu-west-1")
    example_app.CompletePatchingStack(app, "First", env=env)
    with raises_code("PatchGroupBaselineConflict") as error:
        example_app.CompletePatchingStack(app, "Second", env=env)
    assert "in account 111111111111, Region eu-west-1: a patch group can have one baseline per operating system" in str(error.value)


def test_stacks_without_an_environment_count_as_one_and_the_message_says_so():
    app = new_app()
    from mw_constructs import PatchBaseline

    PatchBaseline(Stack(app, "StackA"), "Default", operating_system=OperatingSystem.WINDOWS, default_for_os=True)
    second = Stack(app, "StackB")
    PatchBaseline(second, "Default", operating_system=OperatingSystem.WINDOWS, default_for_os=True)
    [warning] = Annotations.from_stack(second).find_warning("*", Match.string_like_regexp("DefaultBaselineConflict"))
    assert "in the stacks without an explicit account and Region (counted as one environment)" in warning.entry.data


@pytest.mark.parametrize("second_region, overlaps", [("us-east-1", False), ("eu-west-1", True)])
def test_patch_group_windows_overlap_only_within_an_account_and_region(second_region, overlaps):
    app = new_app()
    for name, region in (("First", "eu-west-1"), ("Second", second_region)):
        stack = Stack(app, name, env=Environment(account="111111111111", region=region))
        PatchGroupTarget(stack, "Web", window=sunday_window(stack), patch_group="web")
    warnings = warnings_of(app)
    assert len(warnings) == (1 if overlaps else 0)
    assert all("[ack: mw-constructs:PatchGroupWindowsOverlap]" in warning for warning in warnings)


# ------------------------------------------------------------------ PatchingStackSet


def rollout(stack=None, template=None, **options) -> PatchingStackSet:
    stack = stack or admin_stack()
    if template is None:
        template = StackSetStack(stack, "Template")
        follow_the_sun_window(template)
    options = {"organizational_units": [OU], "regions": REGIONS, **options}
    return PatchingStackSet(stack, "Rollout", template=template, **options)


def test_stack_set_is_service_managed_with_auto_deployment_and_rollout_velocity():
    stack_set = rollout(max_concurrent="25%", failure_tolerance=2, region_order=["us-east-1", "eu-west-1", "ap-southeast-2"])
    Template.from_stack(Stack.of(stack_set)).has_resource_properties("AWS::CloudFormation::StackSet", {
        "PermissionModel": "SERVICE_MANAGED",
        "CallAs": "DELEGATED_ADMIN",
        "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
        "Capabilities": ["CAPABILITY_NAMED_IAM"],
        "OperationPreferences": {"MaxConcurrentPercentage": 25, "FailureToleranceCount": 2,
                                 "RegionConcurrencyType": "SEQUENTIAL",
                                 "RegionOrder": ["us-east-1", "eu-west-1", "ap-southeast-2"]},
        "StackInstancesGroup": [{"DeploymentTargets": {"OrganizationalUnitIds": [OU], "AccountFilterType": "NONE"},
                                 "Regions": REGIONS}],
        "TemplateURL": Match.any_value(),
    })
    assert stack_set.regions == tuple(REGIONS) and stack_set.organizational_units == (OU,)


def test_defaults_deploy_one_account_at_a_time_in_the_given_region_order():
    stack_set = rollout(parallel_regions=False, auto_deploy=False, delegated_admin=False)
    Template.from_stack(Stack.of(stack_set)).has_resource_properties("AWS::CloudFormation::StackSet", {
        "CallAs": "SELF", "AutoDeployment": {"Enabled": False},
        "OperationPreferences": {"MaxConcurrentCount": 1, "FailureToleranceCount": 0, "RegionOrder": REGIONS,
                                 "RegionConcurrencyType": "SEQUENTIAL"}})


@pytest.mark.parametrize("options, code, words", [
    ({"organizational_units": ["ou-nonprod"]}, "InvalidOrganizationalUnit", "'ou-nonprod' is not an OU id"),
    ({"organizational_units": []}, "InvalidType", "organizational_units must be a non-empty list"),
    ({"regions": ["eu-west-1", "eu-west-1"]}, "DuplicateValue", "eu-west-1"),
    ({"regions": ["Ireland"]}, "InvalidRegion", "regions must be an AWS Region name"),
    ({"region_order": ["eu-central-1"]}, "InvalidRolloutPreference", "region_order names ['eu-central-1']"),
    ({"max_concurrent": 0}, "InvalidRolloutPreference", "max_concurrent must be a whole number of accounts of at least 1"),
    ({"max_concurrent": "0%"}, "InvalidRolloutPreference", "got '0%'"),
    ({"failure_tolerance": "101%"}, "InvalidRolloutPreference", "failure_tolerance must be"),
    ({"failure_tolerance": 1.5}, "InvalidRolloutPreference", "got 1.5"),
    ({"auto_deploy": "yes"}, "InvalidType", "auto_deploy must be True or False"),
    ({"auto_deploy": False, "retain_stacks_on_account_removal": True}, "InvalidRolloutPreference", "needs auto_deploy=True"),
    ({"stack_set_name": "1-patching"}, "InvalidName", "stack_set_name must start with a letter"),
])
def test_fails_when_a_rollout_option_is_invalid(options, code, words):
    stack = admin_stack()
    with raises_code(code) as error:
        rollout(stack, **options)
    assert words in str(error.value)
    assert stack.node.try_find_child("Rollout") is None


def test_fails_when_the_template_is_not_a_stack_set_stack():
    stack = admin_stack()
    with raises_code("InvalidType") as error:
        PatchingStackSet(stack, "Rollout", template=Stack(stack.node.root, "Plain"), organizational_units=[OU], regions=REGIONS)
    assert "template must be a cdk_stacksets.StackSetStack" in str(error.value)


def test_warns_when_failure_tolerance_caps_the_concurrency():
    stack_set = rollout(max_concurrent=10, failure_tolerance=1)
    Annotations.from_stack(Stack.of(stack_set)).has_warning(
        "*", Match.string_like_regexp("max_concurrent=10 is never reached: with failure_tolerance=1, CloudFormation deploys "
                                      "at most 2 account"))


def test_fails_when_a_region_of_the_stack_set_has_no_zone_for_a_window():
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    follow_the_sun_window(template, zones=RegionalTimeZones.local(["eu-west-1", "us-east-1"]))
    with raises_code("RegionWithoutTimeZone") as error:
        rollout(stack, template)
    assert "has none for ap-southeast-2, where the StackSet deploys it" in str(error.value)


def test_fails_at_synthesis_when_a_window_added_later_has_no_zone_for_a_region():
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    rollout(stack, template)
    follow_the_sun_window(template, "Later", zones=RegionalTimeZones.local(["eu-west-1"]))
    with pytest.raises(Exception) as error:
        stack.node.root.synth()
    assert "[RegionWithoutTimeZone] window Admin/Template/Later" in str(error.value)


def test_template_windows_are_checked_in_each_region_of_the_stack_set():
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    follow_the_sun_window(template, hours=5, zones=RegionalTimeZones.local(["eu-west-1", "us-east-1"]))
    rollout(stack, template, regions=["eu-west-1", "us-east-1"])
    stack.node.root.synth()
    messages = [str(entry.data) for entry in template.node.find_child("Window").node.metadata if entry.type == "aws:cdk:warning"]
    assert len(messages) == 1 and "Admin/Template/Window [eu-west-1] and Admin/Template/Window [us-east-1]" in messages[0]


# ------------------------------------------------------------------ IAM names in many Regions


def test_colliding_role_names_are_impossible_by_construction():
    """The library never names an IAM resource: CloudFormation generates a name per stack
    instance. A fixed name in a multi-Region template is refused; one with the Region is not."""
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    window = follow_the_sun_window(template)
    MaintenanceWindowRole(template, "Shared")
    PatchGroupTarget(template, "Web", window=window, patch_group="web")
    window.role  # the window's own role, created on first use
    rollout(stack, template)
    [path] = Path(stack.node.root.synth().directory).glob("*.stackset.template.json")
    resources = json.loads(path.read_text())["Resources"]
    iam_resources = {k: v for k, v in resources.items() if v["Type"].startswith("AWS::IAM::")}
    assert len(iam_resources) >= 4
    assert all(not key.endswith("Name") for r in iam_resources.values() for key in r["Properties"])


@pytest.mark.parametrize("make", [
    lambda t: MaintenanceWindowRole(t, "Named", role_name="patching"),
    lambda t: iam.ManagedPolicy(t, "Named", managed_policy_name="patching",
                                statements=[iam.PolicyStatement(actions=["ssm:ListCommands"], resources=["*"])]),
    lambda t: iam.CfnInstanceProfile(t, "Named", roles=["r"], instance_profile_name="patching"),
])
def test_fails_when_a_multi_region_template_has_a_fixed_iam_name(make):
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    follow_the_sun_window(template)
    make(template)
    with raises_code("IamNameCollision") as error:
        rollout(stack, template)
    assert "'patching' of Admin/Template/Named is the same in every Region" in str(error.value)
    assert "deploys this template to 3 Regions of each account" in str(error.value)


def test_a_name_with_the_region_or_a_single_region_is_fine():
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    follow_the_sun_window(template)
    MaintenanceWindowRole(template, "Named", role_name=f"patching-{Aws.REGION}")
    rollout(stack, template)
    single = admin_stack()
    one_region = StackSetStack(single, "Template")
    MaintenanceWindowRole(one_region, "Named", role_name="patching")
    rollout(single, one_region, regions=["eu-west-1"])


def test_fails_at_synthesis_when_a_fixed_name_is_added_after_the_stack_set():
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    rollout(stack, template)
    MaintenanceWindowRole(template, "Later", role_name="patching")
    with pytest.raises(Exception) as error:
        stack.node.root.synth()
    assert "[IamNameCollision] RoleName 'patching' of Admin/Template/Later is the same" in str(error.value)


# ------------------------------------------------------------------ assets, quotas


def test_an_aws_managed_baseline_needs_no_asset_buckets_in_a_template():
    """Issue 21: its custom resources are answered by an inline function, so a StackSet template
    without asset buckets takes it (it was refused with AssetInStackSet)."""
    stack = admin_stack()
    template = StackSetStack(stack, "Template")
    AwsManagedBaseline(template, "Dev", operating_system=OperatingSystem.AMAZON_LINUX_2023, patch_groups=["dev"])
    rollout(stack, template, regions=["eu-west-1"])
    stack.node.root.synth()  # cdk-stacksets fails here on a file asset without asset buckets
    functions = [c for c in template.node.find_all() if isinstance(c, lambda_.CfnFunction)]
    assert functions and all(template.resolve(f.code).get("zipFile") for f in functions)


def test_fails_when_templates_deployed_to_one_ou_and_region_exceed_the_window_quota():
    stack = admin_stack()
    first, second = StackSetStack(stack, "First"), StackSetStack(stack, "Second")
    for number in range(30):
        sunday_window(first, f"W{number}")
        sunday_window(second, f"W{number}")
    PatchingStackSet(stack, "One", template=first, organizational_units=[OU], regions=["eu-west-1"])
    with raises_code("QuotaExceeded") as error:
        PatchingStackSet(stack, "Two", template=second, organizational_units=[OU], regions=["eu-west-1", "us-east-1"])
    assert "each account of ou-ab12-nonprod1 in eu-west-1 (templates Admin/First, Admin/Second) would have 60" in str(error.value)
    assert stack.node.try_find_child("Two") is None
    raised = admin_stack({CONTEXT_KEY: {"MaintenanceWindowsPerRegion": 60}})
    first, second = StackSetStack(raised, "First"), StackSetStack(raised, "Second")
    for number in range(30):
        sunday_window(first, f"W{number}")
        sunday_window(second, f"W{number}")
    PatchingStackSet(raised, "One", template=first, organizational_units=[OU], regions=["eu-west-1"])
    PatchingStackSet(raised, "Two", template=second, organizational_units=[OU], regions=["eu-west-1"])


# ------------------------------------------------------------------ the organization example


@pytest.fixture(scope="module")
def organization_out() -> Path:
    app = new_app()
    organization_example.build(app)
    return Path(app.synth().directory)


def test_organization_example_templates_pass_cfn_lint(organization_out):
    templates = sorted(organization_out.glob("*.template.json"))
    assert len(templates) == 3  # the administrator's stack and one template per tier
    for path in templates:
        assert cfn_lint_findings(json.loads(path.read_text())) == [], path.name


def test_organization_example_passes_all_four_compliance_packs():
    app = new_app(packs=True)
    organization_example.build(app)
    app.synth()  # any unacknowledged finding of AwsSolutions, NIST 800-53 r5, HIPAA or PCI DSS 3.2.1 fails


def test_organization_example_rolls_each_tier_out_to_its_ou_in_three_regions(organization_out):
    admin = json.loads((organization_out / "OrganizationPatching.template.json").read_text())
    stack_sets = [r["Properties"] for r in admin["Resources"].values() if r["Type"] == "AWS::CloudFormation::StackSet"]
    assert sorted((s["StackInstancesGroup"][0]["DeploymentTargets"]["OrganizationalUnitIds"][0],
                   tuple(s["StackInstancesGroup"][0]["Regions"])) for s in stack_sets) == [
        ("ou-ab12-nonprod1", tuple(REGIONS)), ("ou-ab12-product1", tuple(REGIONS))]


def test_organization_example_calendar_shows_every_region_in_local_time_and_together(organization_out, capsys, tmp_path):
    status = main(["calendar", str(organization_out), "--start", "2027-01-04", "--weeks", "1",
                   "-o", str(tmp_path / "org.svg")])
    out = capsys.readouterr().out
    assert status == 0
    assert "6 window(s)" in out
    for region, zone, abbreviation in (("eu-west-1", "Europe/Dublin", "GMT"), ("us-east-1", "America/New_York", "EST"),
                                       ("ap-southeast-2", "Australia/Sydney", "AEDT")):
        assert f"[{region}]\n  Tue 05 Jan 22:00-02:00 (+1 day) {zone}" in out
        assert f"Sat 09 Jan 06:00-10:00 {zone}" in out
        assert f"Tue 2027-01-05 22:00 {abbreviation}" in out
    together = out.split("All Regions together, in UTC:\n")[1].splitlines()
    assert together[:3] == [
        "  Tue 2027-01-05 11:00 to Tue 15:00 UTC  " + _label(out, "NonProduction", "ap-southeast-2"),
        "  Tue 2027-01-05 22:00 to Wed 02:00 UTC  " + _label(out, "NonProduction", "eu-west-1"),
        "  Wed 2027-01-06 03:00 to Wed 07:00 UTC  " + _label(out, "NonProduction", "us-east-1"),
    ]
    assert (tmp_path / "org.svg").read_text().count("<rect") > 6


def _label(out: str, tier: str, region: str) -> str:
    return next(line for line in out.splitlines() if tier in line and line.endswith(f"[{region}]") and not line.startswith(" "))


def test_organization_example_check_finds_nothing(organization_out, capsys):
    assert main(["check", str(organization_out), "--strict"]) == 0
    assert "6 window(s) checked: 0 error(s), 0 warning(s)" in capsys.readouterr().out


def test_preview_follow_the_sun_shows_each_region_and_all_in_utc(capsys):
    status = main(["preview", "cron(0 22 ? * TUE *)", "--follow-the-sun", "eu-west-1", "--follow-the-sun",
                   "us-east-1=America/New_York", "--duration", "5", "--cutoff", "1", "--count", "2",
                   "--after", "2027-03-08T00:00:00Z"])
    out = capsys.readouterr().out
    assert status == 0
    assert "eu-west-1: cron(0 22 ? * TUE *) in Europe/Dublin, next 2 run(s)" in out
    assert "us-east-1: cron(0 22 ? * TUE *) in America/New_York, next 2 run(s)" in out
    assert "All Regions in UTC:\n  Tue 2027-03-09 22:00 to Wed 03:00 UTC  eu-west-1\n  Wed 2027-03-10 03:00" in out
    assert "warning: mw-constructs:FollowTheSunOverlap" in out  # 16 March: New York on EDT, Dublin still on GMT


def test_preview_follow_the_sun_refuses_a_time_zone_too(capsys):
    assert main(["preview", "cron(0 22 ? * TUE *)", "--follow-the-sun", "eu-west-1", "--time-zone", "UTC"]) == 2
    assert "give --time-zone or --follow-the-sun, not both" in capsys.readouterr().err
