#!/usr/bin/env python3
"""Hostile bundles and labels against agritrace-verify: none may crash, hang, or pass as trusted.

Usage: scripts/fuzz-verify.py [BIN_DIR] [CASES] [SEED]
  BIN_DIR  where agritrace-verify is (default: .build/release)
  CASES    random mutations of the honey sample to try (default: 300)

Four parts: random byte and structure mutations of Samples/honey/honey.provenance.json; a fixed
list of deliberate attacks on a bundle (each must not be trusted unless it changes nothing that is
signed); forged labels; and costly shapes (a value of megabytes in one field, which must cost about
what as many bytes of plain text cost: at most five times; a record of tiny JSON values at most 20;
bundles of 50,000 records linked so that whole-bundle checks walk far: at most three times 50,000
independent ones). Exits 1 if any case crashed, hung, was
wrongly trusted or cost too much.
"""
import base64, copy, json, os, random, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release")
CASES = int(sys.argv[2]) if len(sys.argv) > 2 else 300
random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
VERIFY = os.path.join(BIN, "agritrace-verify")
ANCHOR = os.path.join(ROOT, "Certificates/root-ca.pem")
HONEY = os.path.join(ROOT, "Samples/honey/honey.provenance.json")
CITRUS = os.path.join(ROOT, "Samples/citrus/citrus.provenance.json")
WORK = tempfile.mkdtemp(prefix="agritrace-fuzz-")
failures = 0


def verify(data, extra=()):
    """(exit status, level or None, finding codes) of agritrace-verify on `data`."""
    path = os.path.join(WORK, "case.json")
    with open(path, "wb") as out:
        out.write(data)
    try:
        run = subprocess.run([VERIFY, path, "--trust", ANCHOR, "--json", *extra], capture_output=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "hang", None, []
    try:
        report = json.loads(run.stdout)
        return run.returncode, report["level"], sorted({f["code"] for f in report["findings"]})
    except ValueError:
        return run.returncode, None, []


def expect(name, data, may_trust=False, extra=()):
    global failures
    status, level, codes = verify(data, extra)
    bad = status not in (0, 1, 2) or (level == "trusted" and not may_trust)
    if bad:
        failures += 1
        kept = os.path.join(WORK, f"failure-{failures}.json")
        with open(kept, "wb") as out:
            out.write(data)
        print(f"FAIL {name}: exit {status}, {level}, {codes} (kept {kept})")


honey_bytes = open(HONEY, "rb").read()
honey = json.loads(honey_bytes)
citrus = json.loads(open(CITRUS, "rb").read())

# 1. Random mutations: bytes flipped, cut, junk inserted; or one JSON member replaced.
JUNK = [b"{", b"[", b'"', b"\\", b"\\u0000", b"\\ud800", b"1e999999", b"null", b",", b"\xff\xfe", b"\x00", b"[" * 100]
for n in range(CASES):
    if random.random() < 0.5:
        data = bytearray(honey_bytes)
        for _ in range(random.randint(1, 8)):
            i = random.randrange(len(data))
            kind = random.random()
            if kind < 0.4:
                data[i] = random.randrange(256)
            elif kind < 0.6:
                del data[i:i + random.randint(1, 50)]
            elif kind < 0.9:
                data[i:i] = random.choice(JUNK)
            else:
                del data[i:]
        data = bytes(data)
    else:
        doc = copy.deepcopy(honey)
        record = random.choice(doc["records"])
        where = random.choice(["payload", "signature", "envelope", "top"])
        if where == "payload":
            event = json.loads(base64.b64decode(record["payload"]))
            event[random.choice(list(event))] = random.choice([None, 1e308, -1, "", "x" * 10000, [], {}, [[[]]], "2026-02-30T00:00:00Z"])
            record["payload"] = base64.b64encode(json.dumps(event).encode()).decode()
        elif where == "signature":
            record["signatures"][0][random.choice(["keyid", "sig"])] = random.choice([None, "", "AAAA", 7])
        elif where == "envelope":
            record[random.choice(list(record))] = random.choice([None, 5, "", "!!!", [], {"x": 1}])
        else:
            doc[random.choice(list(doc))] = random.choice([None, 5, "", [], {}, [None], ["AAAA"]])
        data = json.dumps(doc).encode()
    expect(f"mutation {n}", data, may_trust=(data == honey_bytes))

# 2. Deliberate attacks on the bundle.
def attack(name, change, may_trust=False):
    doc = copy.deepcopy(honey)
    change(doc)
    expect(name, json.dumps(doc).encode(), may_trust)

def payload_of(doc, i):
    return json.loads(base64.b64decode(doc["records"][i]["payload"]))

attack("subject of another bundle", lambda d: d.update(subject=citrus["subject"]))
attack("signatures swapped", lambda d: d["records"][1].update(signatures=d["records"][2]["signatures"]))
attack("a foreign record added", lambda d: d["records"].append(citrus["records"][0]))
attack("the harvest removed", lambda d: d.update(records=d["records"][1:]))
attack("the CRLs removed", lambda d: d.update(crls=[]))
attack("a certificate removed", lambda d: d.update(certificates=d["certificates"][:-1]))
attack("records reversed", lambda d: d.update(records=d["records"][::-1]))
attack("keyid of another signer", lambda d: d["records"][0]["signatures"][0].update(keyid=d["records"][1]["signatures"][0]["keyid"]))
attack("payload re-serialised", lambda d: d["records"][0].update(
    payload=base64.b64encode(json.dumps(payload_of(d, 0), indent=1).encode()).decode()))
def equal_names(d):  # two ILMD names that are one String (Å and A + U+030A), in canonical form: the one-pass reader once trapped
    event = payload_of(d, 0)
    event["ilmd"].update({"A\u030a": 1, "\u00c5": 2})
    d["records"][0]["payload"] = base64.b64encode(json.dumps(event, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()).decode()
attack("two names one String in two Unicode forms", equal_names)
attack("17 signatures on a record", lambda d: d["records"][0].update(signatures=d["records"][0]["signatures"] * 17))
attack("extra certificates (harmless)", lambda d: d.update(certificates=d["certificates"] + citrus["certificates"]), may_trust=True)
attack("CRL twice (harmless)", lambda d: d.update(crls=d["crls"] * 2), may_trust=True)
expect("verified as of 2047, the CRL long due", honey_bytes, extra=["--at", "2047-06-01T00:00:00Z"])

# 3. Forged labels, against the demo's bundle if `make demo` has run.
DEMO = os.path.join(ROOT, "out/demo")
if os.path.exists(os.path.join(DEMO, "label.png")):
    label = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(DEMO, "label.png")], capture_output=True, text=True).stdout.strip()
    bundle = open(os.path.join(DEMO, "honey.provenance.json"), "rb").read()
    for name, forged in [("lot changed", label.replace("MV-2026-031", "MV-2026-032")), ("expiry appended", label + "&17=301231"),
                         ("s removed", label.split("&s=")[0]), ("h changed", label.replace("h=", "h=A")), ("s twice", label + "&s=AAAA")]:
        expect(f"label: {name}", bundle, extra=["--label", forged])

# 4. Costly shapes: one record holding a value of megabytes, timed against the same record
# holding as many bytes of plain text (in the same run: the machine's speed cancels out).
BIG = 4_000_000

def with_value(set_value, encode=base64.b64encode):
    doc = copy.deepcopy(honey)
    event = payload_of(doc, 0)
    set_value(event)
    # UTF-8 as written, not \u escapes: each shape must stay under the 4 MiB a payload may take.
    doc["records"][0]["payload"] = encode(json.dumps(event, ensure_ascii=False).encode()).decode().rstrip("=")
    return json.dumps(doc).encode()

def timed(data):
    start = time.monotonic()
    outcome = verify(data)
    return time.monotonic() - start, outcome

plain, _ = timed(with_value(lambda e: e.setdefault("ilmd", {}).update({"agt:note": "x" * BIG})))
print(f"costly shapes: plain text {plain:.2f} s")
filler = "abcdefgh/" * (BIG // 9)
for name, data in [
    ("Digital Link, key at the end", with_value(lambda e: e.update(epcList=["https://example.com/" + filler + "01/08936000120016"]))),
    ("Digital Link, key first", with_value(lambda e: e.update(epcList=["https://id.gs1.org/01/08936000120016/10/" + filler]))),
    ("CBV URN step", with_value(lambda e: e.update(bizStep="urn:epcglobal:cbv:bizstep:" + "y" * BIG))),
    ("number", with_value(lambda e: e.update(epcList=["1" * BIG]))),
    ("URL-safe base64 payload", with_value(lambda e: e["ilmd"].update({"agt:note": "\u00ff" * (BIG // 2)}), base64.urlsafe_b64encode)),
    ("combining marks in an EPC", with_value(lambda e: e.update(epcList=["https://example.com/" + "\u0301" * (BIG // 4) + "/01/08936000120016"]))),
    ("combining marks as the step", with_value(lambda e: e.update(bizStep="\u0301" * (BIG // 4)))),
    # The costliest shape known (README): hundreds of thousands of tiny values, each a node of the
    # generic event-hash tree; bounded at 20× (it was 25× before numbers were written from their digits).
    ("tiny JSON values", with_value(lambda e: e.setdefault("ilmd", {}).update({"agt:b": [{"agt:x": i} for i in range(BIG // 20)]}))),
]:
    took, (status, level, codes) = timed(data)
    print(f"costly {name}: {took:.2f} s ({took / plain:.1f}× plain text)")
    bound = 20 if name == "tiny JSON values" else 5
    if status not in (0, 1, 2) or level == "trusted" or "record.tooLarge" in codes or took > max(1.0, bound * plain):
        failures += 1
        print(f"FAIL costly {name}: exit {status}, {level}, {took:.2f} s against {plain:.2f} s for plain text")

# 5. Costly bundle shapes: 50,000 unsigned records whose links make whole-bundle checks walk far
# (each once took the square of the count: minutes to hours), timed against 50,000 independent
# harvests in the same run. Bound: 3x.
import hashlib
COUNT = 50_000
CONTEXT = payload_of(honey, 0)["@context"]
LOT, PALLET = "https://id.gs1.org/01/08936000120016/10/Q", "https://id.gs1.org/00/089360001000000018"

def event(n, **members):
    return {"@context": CONTEXT, "type": "ObjectEvent", "eventTime": "2026-04-12T07:30:00.000+07:00",
            "eventTimeZoneOffset": "+07:00", "eventID": f"urn:uuid:00000000-0000-4000-8000-{n:012d}", **members}

def bundle_of(events, subject, reverse=False):
    records, digests = [], []
    for e in events(digests):
        payload = json.dumps(e, separators=(",", ":")).encode()
        digests.append("sha256:" + hashlib.sha256(payload).hexdigest())
        records.append({"payload": base64.b64encode(payload).decode(), "payloadType": "application/vnd.agritrace.event+json",
                        "signatures": []})
    return json.dumps({"agritraceBundle": 1, "subject": subject, "records": records[::-1] if reverse else records,
                       "certificates": [], "crls": []}).encode()

def harvests(digests):
    for n in range(COUNT):
        yield event(n, action="ADD", bizStep="commissioning", quantityList=[{"epcClass": f"{LOT}{n}", "quantity": 1, "uom": "KGM"}])

def pallet_moves(digests):  # packed once, then moved 50,000 times, listed newest first
    yield event(0, type="AggregationEvent", action="ADD", bizStep="packing", parentID=PALLET,
                childQuantityList=[{"epcClass": f"{LOT}0", "quantity": 1, "uom": "KGM"}])
    for n in range(1, COUNT):
        yield event(n, action="OBSERVE", bizStep="shipping", epcList=[PALLET], **{"agt:inputs": [{"lot": PALLET, "record": digests[-1]}]})

def deep_blends(digests):  # a lot 25,000 records deep, then 25,000 organic blends of it
    yield event(0, action="ADD", bizStep="commissioning", quantityList=[{"epcClass": f"{LOT}0", "quantity": 1, "uom": "KGM"}])
    for n in range(1, COUNT // 2):
        yield event(n, action="OBSERVE", bizStep="inspecting", quantityList=[{"epcClass": f"{LOT}0"}],
                    **{"agt:inputs": [{"lot": f"{LOT}0", "record": digests[-1]}]})
    deepest = digests[-1]
    for n in range(COUNT // 2, COUNT):
        yield event(n, type="TransformationEvent", bizStep="transforming", certificationInfo="VC-ORG-1",
                    inputQuantityList=[{"epcClass": f"{LOT}0", "quantity": 1, "uom": "KGM"}],
                    outputQuantityList=[{"epcClass": f"{LOT}B{n}", "quantity": 1, "uom": "KGM"}],
                    **{"agt:inputs": [{"lot": f"{LOT}0", "record": deepest}]})

def logger_legs(digests):  # packed once, then 50,000 carrier's logs each following the last, each with a timed reading
    yield event(0, type="AggregationEvent", action="ADD", bizStep="packing", parentID=PALLET,
                childQuantityList=[{"epcClass": f"{LOT}0", "quantity": 1, "uom": "KGM"}])
    for n in range(1, COUNT):
        yield event(n, action="OBSERVE", bizStep="transporting", epcList=[PALLET],
                    sensorElementList=[{"sensorReport": [{"type": "agt:temperature", "value": 3, "uom": "CEL", "time": "2026-04-12T07:30:00+07:00"}]}],
                    **{"agt:inputs": [{"lot": PALLET, "record": digests[-1]}]})

def wide_transformation(digests):  # 10,000 lots made into 10,000 others by one record (once a square: 1.6 GB, 7 s)
    wide = 10_000  # the record stays under the 4 MiB payload limit
    for n in range(wide):
        yield event(n, action="ADD", bizStep="commissioning", quantityList=[{"epcClass": f"{LOT}{n}", "quantity": 1, "uom": "KGM"}])
    yield event(wide, type="TransformationEvent", bizStep="transforming",
                inputQuantityList=[{"epcClass": f"{LOT}{n}", "quantity": 1, "uom": "KGM"} for n in range(wide)],
                outputQuantityList=[{"epcClass": f"{LOT}W{n}", "quantity": 1, "uom": "KGM"} for n in range(wide)],
                **{"agt:inputs": [{"lot": f"{LOT}{n}", "record": digests[n]} for n in range(wide)]})

def peak_mb(data):
    """Peak resident memory of agritrace-verify on `data`, MB."""
    path = os.path.join(WORK, "case.json")
    with open(path, "wb") as out:
        out.write(data)
    # GNU time's figure: wait4's would count this script's own memory, which the child holds until it execs.
    run = subprocess.run(["/usr/bin/time", "-f", "%M", VERIFY, path, "--trust", ANCHOR, "--json"], capture_output=True, timeout=120)
    return int(run.stderr.decode().strip().splitlines()[-1]) / 1024

harvest_bundle = bundle_of(harvests, f"{LOT}0")
base, _ = timed(harvest_bundle)
base_mb = peak_mb(harvest_bundle)
print(f"costly bundle shapes: {COUNT} independent harvests {base:.2f} s, {base_mb:.0f} MB")
for name, data in [("a pallet's moves, newest first", bundle_of(pallet_moves, f"{LOT}0", reverse=True)),
                   ("organic blends of a deep lot", bundle_of(deep_blends, f"{LOT}B{COUNT - 1}")),
                   ("a carrier's logs of one pallet, newest first", bundle_of(logger_legs, f"{LOT}0", reverse=True)),
                   ("one transformation of 10,000 lots into 10,000", bundle_of(wide_transformation, f"{LOT}W0"))]:
    took, (status, level, codes) = timed(data)
    megabytes = peak_mb(data)
    print(f"costly bundle {name}: {took:.2f} s ({took / base:.1f}x the harvests), {megabytes:.0f} MB")
    if status not in (0, 1, 2) or level == "trusted" or took > max(2.0, 3 * base) or megabytes > max(300, 3 * base_mb):
        failures += 1
        print(f"FAIL costly bundle {name}: exit {status}, {level}, {took:.2f} s against {base:.2f} s, {megabytes:.0f} MB against {base_mb:.0f} MB")

print(f"{CASES} mutations, the attacks, the labels and the costly shapes: {failures} failure(s); cases in {WORK}")
sys.exit(1 if failures else 0)
