"""PatchBaseline: OS-specific filters, approval rules, patch groups, defaults."""

from __future__ import annotations

from datetime import date

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match

from mw_constructs import (
    ApprovalRule,
    ComplianceLevel,
    ComplianceStatus,
    EnvironmentSchedule,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchSource,
    RejectedPatchesAction,
)
from tests.support.apps import (
    cfn_lint_findings,
    new_app,
    only_properties,
    raises_code,
    template_of,
    warning_ids_of,
    warnings_of,
)

K = PatchFilterKey
SECURITY = [PatchFilter(K.CLASSIFICATION, ["Security"]), PatchFilter(K.SEVERITY, ["Critical", "Important"])]
WINDOWS_SECURITY = [PatchFilter(K.CLASSIFICATION, ["SecurityUpdates", "CriticalUpdates"]),
                    PatchFilter(K.MSRC_SEVERITY, ["Critical", "Important"])]


def linux(stack, id="AL2023", **kwargs):
    return PatchBaseline(stack, id, operating_system=OperatingSystem.AMAZON_LINUX_2023,
                         approval_rules=[ApprovalRule(filters=SECURITY, approve_after_days=7)], **kwargs)


def test_amazon_linux_2023_baseline_with_rules_and_patch_groups(stack):
    baseline = PatchBaseline(
        stack, "AL2023", operating_system=OperatingSystem.AMAZON_LINUX_2023,
        approval_rules=[ApprovalRule(filters=SECURITY, approve_after_days=7, compliance_level=ComplianceLevel.CRITICAL,
                                     enable_non_security=False)],
        global_filters=[PatchFilter(K.PRODUCT, ["AmazonLinux2023"])],
        approved_patches=["kernel-6.1.*"], rejected_patches=["openssl-3.0.7"],
        rejected_patches_action=RejectedPatchesAction.BLOCK, patch_groups=["web"], baseline_name="al2023-security",
        description="Security updates after 7 days",
    )
    baseline.add_patch_group("db")
    props = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")
    assert props == {
        "Name": "al2023-security",
        "Description": "Security updates after 7 days",
        "OperatingSystem": "AMAZON_LINUX_2023",
        "ApprovalRules": {"PatchRules": [{
            "ApproveAfterDays": 7, "ComplianceLevel": "CRITICAL", "EnableNonSecurity": False,
            "PatchFilterGroup": {"PatchFilters": [{"Key": "CLASSIFICATION", "Values": ["Security"]},
                                                  {"Key": "SEVERITY", "Values": ["Critical", "Important"]}]}}]},
        "GlobalFilters": {"PatchFilters": [{"Key": "PRODUCT", "Values": ["AmazonLinux2023"]}]},
        "ApprovedPatches": ["kernel-6.1.*"],
        "RejectedPatches": ["openssl-3.0.7"],
        "RejectedPatchesAction": "BLOCK",
        "PatchGroups": ["web", "db"],
    }
    assert baseline.patch_groups == ("web", "db")
    assert stack.resolve(baseline.baseline_id) == {"Ref": stack.get_logical_id(baseline.node.default_child)}


def test_windows_baseline_with_approve_until_date(stack):
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, approval_rules=[
        ApprovalRule(filters=WINDOWS_SECURITY, approve_until_date=date(2025, 6, 30))], patch_groups=["web"])
    rule = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")["ApprovalRules"]["PatchRules"][0]
    assert rule["ApproveUntilDate"] == "2025-06-30" and "ApproveAfterDays" not in rule


def test_fails_when_a_windows_only_key_is_used_on_amazon_linux(stack):
    with raises_code("FilterKeyNotSupported") as info:
        PatchBaseline(stack, "AL", operating_system=OperatingSystem.AMAZON_LINUX_2023, approval_rules=[
            ApprovalRule(filters=[PatchFilter(K.MSRC_SEVERITY, ["Critical"])], approve_after_days=7)])
    assert "MSRC_SEVERITY" in str(info.value) and "AMAZON_LINUX_2023" in str(info.value)


def test_fails_when_a_key_aws_does_not_list_for_the_os_is_used(stack):
    """Issue 20: a Linux key on a Windows baseline was refused; AWS documents which keys each OS
    takes, not that others are refused: a warning that names the key, and the value kept."""
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS,
                  global_filters=[PatchFilter(K.SEVERITY, ["Critical"])])
    [warning] = warnings_of(stack)
    assert "global_filters key SEVERITY" in warning and "UndocumentedFilterKey" in warning
    filters = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")["GlobalFilters"]["PatchFilters"]
    assert filters == [{"Key": "SEVERITY", "Values": ["Critical"]}]


def test_every_filter_key_of_the_api_can_be_written():
    """Issue 20: 10 of the 19 keys of PatchFilter.Key (API enum, CloudFormation schema) were missing."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("ssm")
    assert sorted(key.value for key in PatchFilterKey) == sorted(model.shape_for("PatchFilter").members["Key"].enum)


@pytest.mark.parametrize("key, os", [(K.SECTION, OperatingSystem.AMAZON_LINUX_2), (K.SECTION, OperatingSystem.WINDOWS),
                                     (K.MSRC_SEVERITY, OperatingSystem.UBUNTU)])
def test_fails_when_a_key_aws_calls_valid_only_elsewhere_is_used(stack, key, os):
    with raises_code("FilterKeyNotSupported") as info:
        PatchBaseline(stack, "B", operating_system=os, global_filters=[PatchFilter(key, ["x"])])
    assert "valid only for" in str(info.value) and key.name in str(info.value)


@pytest.mark.parametrize("os, keys", [
    (OperatingSystem.WINDOWS, ["PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "CLASSIFICATION", "MSRC_SEVERITY", "PATCH_ID"]),
    (OperatingSystem.AMAZON_LINUX_2023, ["PRODUCT", "CLASSIFICATION", "SEVERITY"]),
    (OperatingSystem.UBUNTU, ["PRODUCT", "PRIORITY", "SECTION"]),
    (OperatingSystem.MACOS, ["PRODUCT", "CLASSIFICATION"]),
])
def test_documented_keys_say_nothing(stack, os, keys):
    PatchBaseline(stack, "B", operating_system=os, global_filters=[PatchFilter(K[key], ["*"]) for key in keys[:4]])
    assert warning_ids_of(stack) == []


def test_baseline_tags_and_compliance_status(stack):
    """Issue 20: PatchBaseline tags and AvailableSecurityUpdatesComplianceStatus could not be written."""
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, tags={"team": "ops"},
                  available_security_updates_compliance_status=ComplianceStatus.NON_COMPLIANT)
    props = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")
    assert props["Tags"] == [{"Key": "team", "Value": "ops"}]
    assert props["AvailableSecurityUpdatesComplianceStatus"] == "NON_COMPLIANT"
    assert warning_ids_of(stack) == []


def test_fails_when_a_baseline_tag_value_is_empty(stack):
    """The CloudFormation schema of AWS::SSM::PatchBaseline takes tag values of 1-256 characters."""
    with raises_code("InvalidTag"):
        PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, tags={"team": ""})


def test_fails_when_the_windows_compliance_status_is_set_on_linux(stack):
    linux(stack, available_security_updates_compliance_status=ComplianceStatus.COMPLIANT)
    assert warning_ids_of(stack) == ["mw-constructs:WindowsOnlyOption"]


def test_ubuntu_rules_have_no_approval_delay(stack):
    PatchBaseline(stack, "Ubuntu", operating_system=OperatingSystem.UBUNTU, approval_rules=[
        ApprovalRule(filters=[PatchFilter(K.PRIORITY, ["Required", "Important"])])])
    rule = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")["ApprovalRules"]["PatchRules"][0]
    assert "ApproveAfterDays" not in rule and "ApproveUntilDate" not in rule


def test_fails_when_ubuntu_rule_has_a_delay(stack):
    with raises_code("ApprovalDelayNotSupported"):
        PatchBaseline(stack, "Ubuntu", operating_system=OperatingSystem.UBUNTU, approval_rules=[
            ApprovalRule(filters=[PatchFilter(K.PRIORITY, ["Required"])], approve_after_days=3)])


def test_fails_when_rule_has_no_delay_on_a_baseline_that_needs_one(stack):
    with raises_code("ApprovalDelayRequired"):
        PatchBaseline(stack, "AL", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                      approval_rules=[ApprovalRule(filters=SECURITY)])


def test_fails_when_rule_has_both_delay_and_date():
    with raises_code("ApprovalConflict"):
        ApprovalRule(filters=SECURITY, approve_after_days=7, approve_until_date=date(2025, 1, 1))


@pytest.mark.parametrize("days", [-1, 361, 1.5, "7"])
def test_fails_when_approve_after_days_is_outside_0_to_360(days):
    with raises_code("InvalidApprovalDelay"):
        ApprovalRule(filters=SECURITY, approve_after_days=days)


@pytest.mark.parametrize(
    "make",
    [lambda: PatchFilter("CLASSIFICATION", ["Security"]), lambda: PatchFilter(K.CLASSIFICATION, []),
     lambda: PatchFilter(K.CLASSIFICATION, "Security"), lambda: PatchFilter(K.CLASSIFICATION, ["x" * 65]),
     lambda: PatchFilter(K.CLASSIFICATION, [str(n) for n in range(21)]),
     lambda: ApprovalRule(filters=[PatchFilter(k, ["x"]) for k in (K.PRODUCT, K.CLASSIFICATION, K.SEVERITY, K.PATCH_SET, K.PATCH_ID)],
                          approve_after_days=1)],
)
def test_fails_when_filters_break_the_api_limits(make):
    with raises_code("InvalidPatchFilter"):
        make()


def test_fails_when_a_filter_key_is_repeated():
    with raises_code("RepeatedFilterKey"):
        ApprovalRule(filters=[PatchFilter(K.CLASSIFICATION, ["a"]), PatchFilter(K.CLASSIFICATION, ["b"])], approve_after_days=1)


def test_fails_when_more_than_ten_rules(stack):
    with raises_code("TooManyApprovalRules"):
        PatchBaseline(stack, "AL", operating_system=OperatingSystem.AMAZON_LINUX_2023,
                      approval_rules=[ApprovalRule(filters=SECURITY, approve_after_days=n) for n in range(11)])


@pytest.mark.parametrize("kwargs", [{"approved_patches_enable_non_security": True},
                                    {"sources": [PatchSource("repo", ["WindowsServer2019"], "[main]")]}])
def test_fails_when_a_linux_only_option_is_used_on_windows(stack, kwargs):
    """Issue 20: an error before; AWS documents these as applying to Linux only, not as refused."""
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, **kwargs)
    assert warning_ids_of(stack) == ["mw-constructs:LinuxOnlyOption"]


def test_fails_when_non_security_is_enabled_in_a_windows_rule(stack):
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, approval_rules=[
        ApprovalRule(filters=WINDOWS_SECURITY, approve_after_days=7, enable_non_security=True)])
    [warning] = warnings_of(stack)
    assert "approval_rules[0].enable_non_security=True" in warning and "WINDOWS" in warning


def test_the_aws_windows_default_baseline_as_written_is_accepted(stack):
    """Issue 20: AWS's Windows default baseline, as CreatePatchBaseline takes it, sets
    EnableNonSecurity false (rule and approved patches) and Sources []: the explicit defaults were
    refused (LinuxOnlyOption). They reach the template as written, with no warning."""
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, approval_rules=[
        ApprovalRule(filters=WINDOWS_SECURITY, approve_after_days=7, enable_non_security=False)],
        approved_patches_enable_non_security=False, sources=[])
    props = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")
    assert props["ApprovedPatchesEnableNonSecurity"] is False and props["Sources"] == []
    assert props["ApprovalRules"]["PatchRules"][0]["EnableNonSecurity"] is False
    assert warning_ids_of(stack) == []


def test_linux_patch_source(stack):
    source = PatchSource("epel", ["AmazonLinux2023"], "[epel]\nname=EPEL\nbaseurl=https://example.com/epel\nenabled=1")
    linux(stack, sources=[source])
    assert only_properties(template_of(stack), "AWS::SSM::PatchBaseline")["Sources"] == [
        {"Name": "epel", "Products": ["AmazonLinux2023"], "Configuration": source.configuration}]


@pytest.mark.parametrize("args", [("ab", ["p"], "c"), ("repo", [], "c"), ("repo", ["p"], ""), ("repo", ["p"], None)])
def test_fails_when_patch_source_is_invalid(args):
    with raises_code("InvalidPatchSource"):
        PatchSource(*args)


def test_patch_both_approved_and_rejected_is_a_warning(stack):
    linux(stack, approved_patches=["curl"], rejected_patches=["curl", "wget"])
    Annotations.from_stack(stack).has_warning("*", Match.string_like_regexp("curl is both approved and rejected"))


@pytest.mark.parametrize("patches", [["x" * 101], [str(n) for n in range(51)], "curl"])
def test_fails_when_patch_list_is_invalid(stack, patches):
    with raises_code("InvalidPatchList"):
        linux(stack, approved_patches=patches)


def test_fails_when_a_patch_group_gets_a_second_baseline_for_the_same_os(stack):
    linux(stack, "First", patch_groups=["web"])
    with raises_code("PatchGroupBaselineConflict") as info:
        linux(stack, "Second", patch_groups=["web"])
    assert "'web'" in str(info.value) and "AMAZON_LINUX_2023" in str(info.value)


def test_a_patch_group_may_have_one_baseline_per_os(stack):
    linux(stack, "Linux", patch_groups=["web"])
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, patch_groups=["web"])
    template_of(stack).resource_count_is("AWS::SSM::PatchBaseline", 2)


def test_conflicts_are_found_across_stacks_of_one_app():
    app = new_app()
    linux(Stack(app, "A"), patch_groups=["web"])
    with raises_code("PatchGroupBaselineConflict"):
        linux(Stack(app, "B"), patch_groups=["web"])


@pytest.mark.parametrize("group", ["", "x" * 257, "bad#group"])
def test_fails_when_patch_group_name_is_invalid(stack, group):
    with raises_code("InvalidPatchGroup"):
        linux(stack, patch_groups=[group])


def test_a_patch_group_added_twice_is_registered_once_with_a_warning(stack):
    baseline = linux(stack, patch_groups=["web", "web"])
    baseline.add_patch_group("web")
    assert baseline.patch_groups == ("web",)
    [resource] = template_of(stack).find_resources("AWS::SSM::PatchBaseline").values()
    assert resource["Properties"]["PatchGroups"] == ["web"]
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("mw-constructs:DuplicateValue"))
    assert len(found) == 2


def test_fails_when_more_than_25_patch_groups(stack):
    with raises_code("TooManyPatchGroups"):
        linux(stack, patch_groups=[f"group-{n}" for n in range(26)])


def test_default_for_os(stack):
    linux(stack, default_for_os=True)
    assert only_properties(template_of(stack), "AWS::SSM::PatchBaseline")["DefaultBaseline"] is True


def test_fails_when_two_defaults_for_one_os_are_refused(stack):
    """Issue 20: CloudFormation registers both; the last one wins. Legal, probably not meant: a warning."""
    linux(stack, "A", default_for_os=True)
    linux(stack, "B", default_for_os=True)
    found = Annotations.from_stack(stack).find_warning("/Test/B", Match.string_like_regexp("DefaultBaselineConflict"))
    assert len(found) == 1 and "whichever CloudFormation registers last wins" in found[0].entry.data


def test_tiered_approval_delays_per_environment():
    delays = {tier.name: ApprovalRule.for_environment(tier, filters=SECURITY).approve_after_days
              for tier in (EnvironmentSchedule.DEVELOPMENT, EnvironmentSchedule.TEST,
                           EnvironmentSchedule.ACCEPTANCE, EnvironmentSchedule.PRODUCTION)}
    assert delays == {"development": 0, "test": 3, "acceptance": 5, "production": 7}
    assert ApprovalRule.for_environment("staging", filters=SECURITY, delays={"staging": 4}).approve_after_days == 4


def test_fails_when_a_tier_has_no_approval_delay():
    with raises_code("InvalidApprovalDelay") as info:
        ApprovalRule.for_environment("staging", filters=SECURITY)
    assert "'staging'" in str(info.value)


def test_fails_when_operating_system_is_a_string(stack):
    with raises_code("InvalidType"):
        PatchBaseline(stack, "X", operating_system="AMAZON_LINUX_2023")


def test_baselines_pass_cfn_lint(stack):
    linux(stack, patch_groups=["web"], approved_patches=["curl"], approved_patches_enable_non_security=True,
          approved_patches_compliance_level=ComplianceLevel.HIGH)
    PatchBaseline(stack, "Win", operating_system=OperatingSystem.WINDOWS, approval_rules=[
        ApprovalRule(filters=WINDOWS_SECURITY, approve_after_days=3)], patch_groups=["web"])
    assert cfn_lint_findings(template_of(stack).to_json()) == []


def test_fails_when_empty_lists_given_as_written_are_refused(stack):
    """Issue 20: a baseline as get-patch-baseline prints it (empty global filters, empty patch lists,
    no sources) is what CreatePatchBaseline takes: accepted and written as given."""
    PatchBaseline(stack, "AsPrinted", operating_system=OperatingSystem.WINDOWS, global_filters=[], approved_patches=[],
                  rejected_patches=[], sources=[], approval_rules=[ApprovalRule(filters=[], approve_after_days=0)])
    props = only_properties(template_of(stack), "AWS::SSM::PatchBaseline")
    assert props["GlobalFilters"] == {"PatchFilters": []} and props["Sources"] == []
    assert props["ApprovalRules"]["PatchRules"][0]["PatchFilterGroup"] == {"PatchFilters": []}
