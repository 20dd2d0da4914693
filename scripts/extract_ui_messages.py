"""Re-extract helpflow's interface strings into helpflow/locale/helpflow.pot and merge the
template into every shipped catalog (new strings empty, changed ones fuzzy, gone ones kept
as obsolete `#~` entries), as `pybabel update` would.

    python scripts/extract_ui_messages.py          # write
    python scripts/extract_ui_messages.py --check  # exit 1 when a string is new or gone
"""

from __future__ import annotations

import argparse
import io
import sys

from babel.messages.pofile import write_po

from helpflow import uicatalog, uitext


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; write nothing")
    args = parser.parse_args(argv)
    template = uicatalog.extract_catalog()
    pot = uitext.LOCALE_DIR / f"{uitext.DOMAIN}.pot"
    text = uicatalog.pot_text(template)
    if args.check:  # the strings, not their line numbers, must match
        current = pot.is_file() and uicatalog.ids(uicatalog.read_catalog(pot)) == uicatalog.ids(
            template
        )
        print(f"{pot}: {'current' if current else 'NOT current: run this script'}")
        return 0 if current else 1
    pot.write_text(text, encoding="utf-8")
    for lang in uitext.languages((uitext.LOCALE_DIR,)):
        po = uitext.catalog_file(lang, (uitext.LOCALE_DIR,))
        assert po is not None
        catalog = uicatalog.read_catalog(po, lang.replace("-", "_"))
        catalog.update(template, update_header_comment=False)
        buffer = io.BytesIO()
        write_po(buffer, catalog, width=100, sort_output=True, ignore_obsolete=False)
        po.write_bytes(buffer.getvalue())
        print(f"updated {po}")
    print(f"wrote {pot} ({len(template) - 1} strings)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
