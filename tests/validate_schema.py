#!/usr/bin/env python3
"""Validates a JSON document against a JSON schema (Debian's
python3-jsonschema), for the ctests that check shapecheck's SARIF and JSON
output against their schemas.

usage: validate_schema.py SCHEMA DOCUMENT
Exits 0 when DOCUMENT is valid; otherwise prints each error and exits 1.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        document = json.load(f)
    # The validator for the draft the schema names (draft-04 for SARIF).
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    for e in errors:
        where = "/".join(str(p) for p in e.path) or "(document)"
        print(f"{sys.argv[2]}: {where}: {e.message}")
    if errors:
        sys.exit(1)
    print(f"{sys.argv[2]}: valid against {sys.argv[1]}")


if __name__ == "__main__":
    main()
