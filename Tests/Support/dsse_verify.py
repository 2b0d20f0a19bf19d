#!/usr/bin/env python3
"""Verifies every record envelope of an AgriTrace bundle with securesystemslib's DSSE code,
an implementation independent of ours. Prints 'verified N records'; exits 1 on any failure."""
import base64
import json
import sys

from cryptography import x509
from securesystemslib.dsse import Envelope
from securesystemslib.signer import SSlibKey

bundle = json.load(open(sys.argv[1], encoding="utf-8"))
keys = {}
for blob in bundle["certificates"]:
    der = base64.b64decode(blob)
    cert = x509.load_der_x509_certificate(der)
    from cryptography.hazmat.primitives import hashes
    keyid = cert.fingerprint(hashes.SHA256()).hex()
    keys[keyid] = SSlibKey.from_crypto(cert.public_key(), keyid=keyid)

count = 0
for record in bundle["records"]:
    envelope = Envelope.from_dict(record)
    signer_keys = [keys[s.keyid] for s in envelope.signatures.values() if s.keyid in keys]
    envelope.verify(signer_keys, threshold=len(envelope.signatures))
    count += 1
print(f"verified {count} records")
