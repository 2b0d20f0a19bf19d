#!/usr/bin/env python3
"""CBV 2.0 event hashes of hostile text against GS1's reference (PyPI epcis-event-hash-generator).

Usage: scripts/fuzz-event-hash.py [BIN_DIR] [DOCUMENTS] [FIRST_SEED]
  BIN_DIR    where agritrace is (default: .build/debug)
  DOCUMENTS  EPCIS documents of 40 events each to try (default: 40)

Each event's member names and values are pieced together from text that trips string handling:
one letter in NFC, in NFD and as the Angstrom sign; combining and prepended marks (U+0600 before
`List`); joiners, emoji with modifiers, ligatures, Hangul jamo, line breaks, ASCII look-alikes
(U+212A for K, U+037E for ;), numbers, digits of other scripts (Arabic-Indic, Thai, fullwidth,
Devanagari: Python's float() reads them), CBV URNs and names the algorithm treats specially; event
times in the ISO 8601 spellings the reference reads (and a 30 February, which it leaves as text). Every
event's hash from `agritrace epcis hash` must equal the reference's. Exits 1 on any difference and
names the document and events; the documents are kept in a temporary folder.
"""
import json, os, random, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug")
DOCUMENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 40
FIRST = int(sys.argv[3]) if len(sys.argv) > 3 else 1

PIECES = ["a", "é", "e\u0301", "\u00c5", "A\u030a", "\u212b", "\u0600", "\u0301", "\u200d", "👍🏽", "ﬁ", "ß", "İ", "ǅ",
          "\u0345", "x", "L", "List", "ist", "\u1100\u1161", "\r\n", "\u2028", "\u212a", "K", ";", "\u037e", " ", "\u00a0",
          "0", "1.50", "urn:epcglobal:cbv:bizstep:shipping", "shipping", "ignoreFields", "@", "#",
          "\u0661\u0662", "\u0e51.\u0e55", "\uff11", "\u0966", "_", "e", "-", "\u2003"]


TIMES = ["2026-01-01T00:00:00Z", "2026-01-01 00:00:00+07", "2026-01-01T00:00:00,5Z", "2026-01-01T123045Z", "20260101T123045Z",
         "2026-01-01T12:30:45 UTC", "2026-01-01T12:30:45 +07:00", "2026-01-01T12:30+07", "2026-01-01", "2026-02-30T00:00:00Z",
         "2024-02-29T00:00:00.0005Z", "2026-12-31T23:59:60Z", "2026-01-01t12:30:45.123456789-05:30"]


def document(seed):
    rng = random.Random(seed)

    def word():
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))

    def value(depth=0):
        r = rng.random()
        if depth > 2 or r < 0.5:
            return word()
        if r < 0.7:
            return [value(depth + 1) for _ in range(rng.randint(1, 3))]
        return {"ex:" + word(): value(depth + 1) for _ in range(rng.randint(1, 3))}

    events = []
    for _ in range(40):
        event = {"type": "ObjectEvent", "eventTime": rng.choice(TIMES), "eventTimeZoneOffset": "+00:00", "action": "OBSERVE",
                 "bizStep": rng.choice(["shipping", word()]), "epcList": [word() for _ in range(rng.randint(0, 2))]}
        for _ in range(rng.randint(1, 3)):
            event["ex:" + word()] = value()
        if rng.random() < 0.5:
            event["ilmd"] = {"ex:" + word(): value() for _ in range(rng.randint(1, 3))}
        events.append(event)
    return {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": "https://ex.example/"}],
            "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-01-01T00:00:00Z",
            "epcisBody": {"eventList": events}}, rng.getrandbits(1) == 1


def hashes(command):
    output = subprocess.run(command, capture_output=True, text=True, timeout=120).stdout
    return [line for line in output.split("\n") if line.startswith("ni:///") or line.startswith("error")]


def main():
    folder = tempfile.mkdtemp(prefix="agritrace-fuzz-hash-")
    failures = 0
    for seed in range(FIRST, FIRST + DOCUMENTS):
        doc, ascii_only = document(seed)
        path = os.path.join(folder, f"doc-{seed}.jsonld")
        with open(path, "w", encoding="utf-8") as file:
            json.dump(doc, file, ensure_ascii=ascii_only)
        reference = hashes([sys.executable, "-m", "epcis_event_hash_generator", path])
        ours = hashes([os.path.join(BIN, "agritrace"), "epcis", "hash", path])
        differing = [index for index in range(max(len(reference), len(ours)))
                     if index >= len(reference) or index >= len(ours) or reference[index] != ours[index]]
        if differing:
            failures += 1
            print(f"{path}: events {differing[:12]} differ from the reference")
    print(f"{DOCUMENTS} documents of 40 events, {failures} with a difference; documents in {folder}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
