#!/usr/bin/env python3
"""Validates an EPCIS document against the EPCIS 2.0 JSON schema (draft-07) with the jsonschema
package. Prints each error with its JSON path and 'N errors' last; exits 1 when there are any."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
document = json.load(open(sys.argv[2], encoding="utf-8"))
errors = list(jsonschema.Draft7Validator(schema).iter_errors(document))
for error in errors[:20]:
    print("$" + "".join(f"[{p!r}]" for p in error.absolute_path), error.message[:200])
print(f"{len(errors)} errors")
sys.exit(1 if errors else 0)
