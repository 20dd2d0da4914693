"""The bundled sign-in flow, node by node: it mirrors every branch of the help article."""

from __future__ import annotations

import pytest

from helpflow.engine import CompiledFlow

from support import walk


def test_every_node_is_exercised_by_some_path(bundled: CompiledFlow) -> None:
    seen = {bundled.flow.start}
    for path in bundled.paths():
        seen.update(a.node for a in path.answers)
        seen.add(path.end)
    assert seen == set(bundled.flow.nodes)


@pytest.mark.parametrize(
    ("choices", "node"),
    [
        (["online", "cant_access"], "check_sign_in"),
        (["online", "forgot_details", "email", "activation_code"], "email_by_code"),
        (["online", "forgot_details", "email", "installed_app"], "email_from_app"),
        (["online", "forgot_details", "password"], "forgot_password"),
        (["online", "forgot_details", "google"], "forgot_google"),
        (["online", "forgot_details", "apple"], "forgot_apple"),
        (["online", "new_email"], "new_email"),
        (["online", "phone_changed"], "phone_changed"),
        (["online", "card_update"], "check_card_update"),
        (["online", "no_updates"], "check_spam"),
    ],
)
def test_each_article_section_has_a_branch(
    bundled: CompiledFlow, choices: list[str], node: str
) -> None:
    assert walk(bundled, *choices).node == node


@pytest.mark.parametrize(
    ("channel", "contact"),
    [
        ("online", "contact_support"),
        ("in_app", "contact_support"),
        ("retail", "contact_retailer"),
        ("isp", "contact_isp"),
    ],
)
@pytest.mark.parametrize(
    "problem", [["cant_access"], ["card_update"], ["forgot_details", "password"]]
)
def test_escalation_depends_on_where_it_was_bought(
    bundled: CompiledFlow, channel: str, contact: str, problem: list[str]
) -> None:
    assert walk(bundled, channel, *problem, "not_solved").node == contact


def test_retailer_escalation_names_the_retailer(bundled: CompiledFlow) -> None:
    step = bundled.step(walk(bundled, "retail", "cant_access", "not_solved"))
    assert step.outcome == "escalate"
    assert [c.name for c in step.contacts] == ["Best Buy Geek Squad"]


def test_updates_problem_goes_to_vendor_support_whatever_the_channel(bundled: CompiledFlow) -> None:
    for channel in ("online", "retail", "isp", "in_app"):
        assert walk(bundled, channel, "no_updates", "not_solved").node == "contact_support"


def test_spam_folder_advice_is_shown(bundled: CompiledFlow) -> None:
    step = bundled.step(walk(bundled, "online", "no_updates"))
    assert "Spam" in step.steps[0].text
    assert "Junk" in step.steps[0].text


def test_recovery_pages_are_external_outcomes(bundled: CompiledFlow) -> None:
    google = bundled.step(walk(bundled, "online", "forgot_details", "google"))
    apple = bundled.step(walk(bundled, "online", "forgot_details", "apple"))
    assert google.outcome == apple.outcome == "external"
    assert google.links[0].url.startswith("https://accounts.google.com/")
    assert apple.links[0].url.startswith("https://iforgot.apple.com/")


def test_vars_set_by_the_embedding_site_reach_every_text(bundled: CompiledFlow) -> None:
    site = bundled.with_options(
        vars={"product": "Acme", "password_reset_url": "https://acme.example/reset"}
    )
    step = site.step(walk(site, "online", "forgot_details", "password"))
    assert step.links[0].url == "https://acme.example/reset"
    assert "https://acme.example/reset" in step.steps[0].html
    assert site.step(site.start()).title == "How did you get your Acme product?"
    assert site.info.title == "Trouble signing in to your Acme account"


def test_unsafe_var_values_never_become_links(bundled: CompiledFlow) -> None:
    site = bundled.with_options(vars={"password_reset_url": "javascript:alert(1)"})
    step = site.step(walk(site, "online", "forgot_details", "password"))
    assert step.links == ()
    assert "javascript" not in step.steps[0].html


def test_unknown_var_override_is_refused(bundled: CompiledFlow) -> None:
    from helpflow.errors import VarError

    with pytest.raises(VarError, match=r"no var 'suport_url' \(did you mean 'support_url'\?\)"):
        bundled.with_options(vars={"suport_url": "x"})
