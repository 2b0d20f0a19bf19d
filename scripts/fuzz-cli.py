#!/usr/bin/env python3
"""Broken files and odd arguments against every option of agritrace and agritrace-verify that
reads a file or takes a value: none may crash, hang, dump a Foundation error, show key material or
damage a workspace.

Usage: scripts/fuzz-cli.py [BIN_DIR]
  BIN_DIR  where agritrace and agritrace-verify are (default: .build/debug)

It runs scripts/demo.sh for the five parties' workspaces (unless out/demo holds them), works on
copies of them, and feeds each file option 26 kinds of broken file (empty, random, cut
PEM, a key where a certificate belongs, a directory, a FIFO, /dev/zero …) and the record commands
odd values. Each must be refused with exit 2, within a minute, without a crash report, a Foundation
error dump or key material in its output; after everything, `agritrace check` must find every
copied workspace sound. Exits 1 if any case failed.
"""
import os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug")
AGRITRACE, VERIFY = os.path.join(BIN, "agritrace"), os.path.join(BIN, "agritrace-verify")
CERTS = os.path.join(ROOT, "Certificates")
DEMO = os.path.join(ROOT, "out/demo")
WORK = tempfile.mkdtemp(prefix="agritrace-fuzz-cli-")
failures = 0

if not os.path.exists(os.path.join(DEMO, "importer")):
    subprocess.run([os.path.join(ROOT, "scripts/demo.sh"), BIN], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
spaces = os.path.join(WORK, "ws")
shutil.copytree(DEMO, spaces)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def junk_files():
    """Name → path of each broken file."""
    folder = os.path.join(WORK, "junk")
    os.makedirs(folder)
    cert, key = read(os.path.join(CERTS, "honey-coop.pem")), read(os.path.join(CERTS, "honey-coop.key"))
    crl, png = read(os.path.join(CERTS, "issuing-ca.crl.pem")), read(os.path.join(DEMO, "label.png"))
    bundle = read(os.path.join(DEMO, "honey.provenance.json"))
    contents = {
        "empty": b"", "random": os.urandom(5000), "nul": b"\0" * 1000,
        "pem-header-only": b"-----BEGIN CERTIFICATE-----\n",
        "pem-bad-base64": b"-----BEGIN CERTIFICATE-----\n!!!!****\n-----END CERTIFICATE-----\n",
        "pem-cut": cert[: len(cert) // 2], "pem-flipped": cert[:200] + bytes([cert[200] ^ 1]) + cert[201:],
        "key-not-cert": key, "cert-not-key": cert, "key-cut": key[:100], "crl-cut": crl[:-40],
        "png-cut": png[: len(png) // 3], "bundle-cut": bundle[: len(bundle) // 2], "json-null": b"null",
        "deep-arrays": b"[" * 100000, "long-line": b"a" * 3_000_000,
        "csv-open-quote": b'gtin,lot,quantity\n"unterminated,1,2\n', "csv-nul": b"gtin,lot,quantity\n\0,\0,\0\n",
        "csv-wide": b"," * 100000 + b"\n", "not-utf8": b"\xff\xfe\xfd" * 100,
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = os.path.join(folder, name)
        with open(paths[name], "wb") as f:
            f.write(data)
    fifo = os.path.join(folder, "fifo")
    os.mkfifo(fifo)
    link = os.path.join(folder, "zero-link")
    os.symlink("/dev/zero", link)
    paths.update({"directory": folder, "missing": os.path.join(folder, "missing"), "dev-zero": "/dev/zero",
                  "dev-null": "/dev/null", "fifo": fifo, "zero-link": link})
    return paths


def ws(party):
    return os.path.join(spaces, party)


HONEY, ROOT_CA = os.path.join(DEMO, "honey.provenance.json"), os.path.join(CERTS, "root-ca.pem")
LOT = "08936000120016/MV-2026-031"
# Each option that reads a file, as a command line around the file.
FILE_OPTIONS = {
    "verify BUNDLE": lambda f: [VERIFY, f, "--trust", ROOT_CA],
    "verify --trust": lambda f: [VERIFY, HONEY, "--trust", f],
    "verify --label-image": lambda f: [VERIFY, HONEY, "--trust", ROOT_CA, "--label-image", f],
    "verify --policy": lambda f: [VERIFY, HONEY, "--trust", ROOT_CA, "--policy", f],
    "import": lambda f: [AGRITRACE, "import", "--workspace", ws("exporter"), f],
    "identity install --certificate": lambda f: [AGRITRACE, "identity", "install", "--workspace", ws("lab"), "--certificate", f,
                                                 "--key", os.path.join(CERTS, "laboratory.key")],
    "identity install --key": lambda f: [AGRITRACE, "identity", "install", "--workspace", ws("lab"), "--certificate",
                                         os.path.join(CERTS, "laboratory.pem"), "--key", f],
    "identity install --crl": lambda f: [AGRITRACE, "identity", "install", "--workspace", ws("lab"), "--certificate",
                                         os.path.join(CERTS, "laboratory.pem"), "--key", os.path.join(CERTS, "laboratory.key"), "--crl", f],
    "identity crl": lambda f: [AGRITRACE, "identity", "crl", "--workspace", ws("lab"), f],
    "init --trust": lambda f: [AGRITRACE, "init", "--workspace", tempfile.mkdtemp(dir=WORK) + "/ws", "--org", "X", "--gln", "8936000100018", "--trust", f],
    "harvest --csv": lambda f: [AGRITRACE, "harvest", "--workspace", ws("coop"), "--csv", f],
    "transport --readings": lambda f: [AGRITRACE, "transport", "--workspace", ws("exporter"), "--sscc", "089360001000000018", "--readings", f],
    "epcis hash": lambda f: [AGRITRACE, "epcis", "hash", f],
    "epcis import": lambda f: [AGRITRACE, "epcis", "import", "--workspace", ws("coop"), f],
    "label --bundle": lambda f: [AGRITRACE, "label", "--bundle", f, "--key", os.path.join(CERTS, "exporter.key"),
                                 "--certificate", os.path.join(CERTS, "exporter.pem"), "--out", os.path.join(WORK, "label.png")],
    "label --key": lambda f: [AGRITRACE, "label", "--bundle", HONEY, "--key", f,
                              "--certificate", os.path.join(CERTS, "exporter.pem"), "--out", os.path.join(WORK, "label.png")],
    "pki issue --csr": lambda f: [AGRITRACE, "pki", "issue", "--dir", os.path.join(WORK, "ca"), "--csr", f, "--role", "producer",
                                  "--gln", "8936000100018", "--out", os.path.join(WORK, "issued.pem")],
}
# A certificate file holding the issuing CA is a good trust anchor file.
GOOD_FILES = {("verify --trust", "cert-not-key"), ("init --trust", "cert-not-key")}
# Odd values for options that take one; each must be refused (exit 2), writing nothing.
# Each case its own lot or plot id, so that one wrongly accepted cannot hide the next behind "exists".
ARGUMENTS = [
    ["harvest", "--workspace", ws("coop"), "--gtin", "08936000120016", "--lot", f"FQ{i}", "--quantity", q, "--harvest-date", "2026-04-10"]
    for i, q in enumerate(["0", "-1", "1e3", "NaN", "1,5", "99999999999999999999999999999999999999999", "12.345678901234567890123"])
] + [
    ["harvest", "--workspace", ws("coop"), "--gtin", "08936000120016", "--lot", f"FH{i}", "--quantity", "5", "--harvest-date", "2026-04-10", *extra]
    for i, extra in enumerate([["--unit", "kg"], ["--unit", ""], ["--organic-certificate", " "], ["--harvest-date", "2026-02-30"],
                               ["--time", "2026-04-12T07:30:00+25:00"], ["--plot", "NOPE"], ["--harvest-end-date", "2026-04-09"],
                               ["--harvest-end-date", "2026-04-31"], ["--harvest-end-date", "2099-04-11"], ["--harvest-end-date", "x"]])
] + [
    ["plot", "add", "--workspace", ws("coop"), "--id", f"FP{i}", "--name", "n", *extra]
    for i, extra in enumerate([["--point", "200,100"], ["--geojson", '{"type":"Point","coordinates":[105.4]}'],
                               ["--geojson", '{"type":"Polygon","coordinates":[[[1,2],[3,4],[5,6],[7,8]]]}'],
                               ["--point", "105.4,23.1", "--area", "0"], ["--point", "105.4,23.1", "--organic-since", "2099-01-01"]])
] + [
    ["ship", "--workspace", ws("exporter"), "--to", "8936000100094", "--sscc", "089360001000000018"],  # already shipped
    ["ship", "--workspace", ws("exporter"), "--to", "8936000100070", "--lot", f"{LOT}=1"],  # to itself
    ["ship", "--workspace", ws("coop"), "--to", "8936000100070", "--lot", f"{LOT}=1", "--time", "2026-04-01T00:00:00+07:00"],
    ["receive", "--workspace", ws("exporter"), "--from", "8936000100094", "--lot", f"{LOT}=1"],  # no such shipment
    ["receive", "--workspace", ws("importer"), "--from", "8936000100070", "--sscc", "089360001000000018"],  # received already
    ["inspect", "--workspace", ws("coop"), "--lot", LOT, "--result", "pass"],  # a cooperative is no inspector
    ["label", "--workspace", ws("exporter"), "--lot", LOT, "--resolver", "javascript:alert(1)", "--out", os.path.join(WORK, "l.png")],
    ["label", "--workspace", ws("exporter"), "--lot", LOT, "--dpi", "0", "--out", os.path.join(WORK, "l.png")],
    ["label", "--workspace", ws("exporter"), "--sscc", "089360001000000018", "--expiry", "2027-01-01", "--out", os.path.join(WORK, "l.png")],
    ["label", "--workspace", ws("exporter"), "--sscc", "089360001000000017", "--out", os.path.join(WORK, "l.png")],  # check digit
    ["label", "--workspace", ws("exporter"), "--sscc", "089360001000000025", "--out", os.path.join(WORK, "l.png")],  # not held
    ["label", "--workspace", ws("exporter"), "--lot", LOT, "--sscc", "089360001000000018", "--out", os.path.join(WORK, "l.png")],
    ["export", "--workspace", ws("exporter"), "--lot", LOT, "--out", os.path.join(WORK, "missing/x.json")],
    ["report", "events", "--workspace", ws("exporter"), "--from", "2026-05-01", "--to", "2026-01-01"],
    ["transport", "--workspace", ws("importer"), "--sscc", "089360001000000018", "--temperature", "3"],  # received already
    ["transport", "--workspace", ws("exporter"), "--sscc", "089360001000000018", "--temperature", "1e3"],
    ["transport", "--workspace", ws("exporter"), "--sscc", "089360001000000018", "--temperature", "-273.2"],
    ["discard", "--workspace", ws("exporter"), "--lot", LOT + "=1e9", "--reason", "spoiled"],
    ["discard", "--workspace", ws("exporter"), "--lot", LOT + "=-1", "--reason", "spoiled"],
    ["discard", "--workspace", ws("exporter"), "--lot", LOT + "=1", "--reason", "x" * 1001],
    ["discard", "--workspace", ws("certifier"), "--lot", LOT + "=1", "--reason", "spoiled"],  # holds none
    ["discard", "--workspace", ws("exporter"), "--lot", LOT + "=1", "--lot", LOT + "=2", "--reason", "spoiled"],
    ["recall", "--workspace", ws("coop"), "--lot", LOT, "--reason", ""],
    ["recall", "--workspace", ws("coop"), "--lot", LOT, "--reason", "x" * 1001],
    ["recall", "--workspace", ws("coop"), "--lot", "08936000120016/NOPE", "--reason", "HMF"],
    ["recall", "--workspace", ws("certifier"), "--lot", LOT, "--reason", "HMF"],  # a certifier does not hold goods
]


def run(argv):
    """(status, output) of one run; status "hang" after 60 seconds."""
    try:
        done = subprocess.run(argv, capture_output=True, timeout=60, stdin=subprocess.DEVNULL, cwd=WORK)
        return done.returncode, (done.stderr + done.stdout).decode(errors="replace")
    except subprocess.TimeoutExpired:
        return "hang", ""


def fail(what, why):
    global failures
    failures += 1
    print(f"FAIL {what}: {why}")


def judge(what, status, output):
    if status != 2:
        fail(what, f"exit {status}, not 2: {output.strip()[-200:]!r}")
    for bad in ["Fatal error", "Stack dump", "NSCocoaErrorDomain", "PRIVATE KEY"]:
        if bad in output:
            fail(what, f"output shows {bad!r}")


subprocess.run([AGRITRACE, "pki", "init", "--dir", os.path.join(WORK, "ca"), "--name", "Fuzz CA"], capture_output=True, check=True)
junk = junk_files()
for option, command in FILE_OPTIONS.items():
    for name, path in junk.items():
        if (option, name) in GOOD_FILES:
            continue
        status, output = run(command(path))
        judge(f"{option} {name}", status, output)
print(f"{len(FILE_OPTIONS)} file options x {len(junk)} broken files")
for argv in ARGUMENTS:
    status, output = run([AGRITRACE, *argv])
    judge(" ".join(argv[:1] + argv[3:]), status, output)
print(f"{len(ARGUMENTS)} odd arguments")
for party in sorted(os.listdir(spaces)):
    if os.path.isdir(os.path.join(spaces, party)):
        status, output = run([AGRITRACE, "check", "--workspace", ws(party)])
        if status != 0 or "sound" not in output:
            fail(f"check {party}", output.strip()[-200:])
print(f"{failures} failure(s); cases in {WORK}")
sys.exit(1 if failures else 0)
