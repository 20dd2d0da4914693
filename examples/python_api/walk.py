"""Drive the bundled flow from Python: load, start, choose, render.

Run from the repository root:  python examples/python_api/walk.py
"""

from __future__ import annotations

from pathlib import Path

import helpflow

FLOW = Path(__file__).resolve().parents[2] / "flows" / "account-login.yaml"


def main() -> None:
    flow = helpflow.load(FLOW, vars={"product": "Acme"})
    session = flow.start()
    for choice in ["retail", "cant_access", "not_solved"]:
        session = flow.choose(session, choice)

    step = flow.step(session)
    print(step.title)
    for contact in step.contacts:
        print(f"  {contact.name}: {contact.url}")

    # A token carries the whole session: store it anywhere, resume it in any process.
    resumed = flow.resume(step.token).session
    assert resumed == session
    print("token:", step.token)

    # Change an earlier answer: later answers that still fit are kept.
    changed = flow.change(session, "purchase_channel", "isp")
    print("after changing where it was bought:", flow.step(changed.session).title)

    print(helpflow.get_renderer("terminal").render(flow.step(flow.back(session))))


if __name__ == "__main__":
    main()
