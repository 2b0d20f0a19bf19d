#!/usr/bin/env python3
"""Reads a JSON list of URIs on stdin and prints, as JSON, what the reference event-hash
implementation's Digital Link normaliser makes of each (null where it declines)."""
import json
import sys

from epcis_event_hash_generator.dl_normaliser import normaliser

print(json.dumps([normaliser(uri) for uri in json.load(sys.stdin)]))
