#!/usr/bin/env bash
# The main job end to end, through the real CLI: the honey cooperative, the certifier, the
# laboratory, the exporter and the Singapore importer each work in their own workspace with
# their own (TEST-ONLY) key from Certificates/, handing bundles on. It ends with the buyer's
# agritrace-verify report on what the importer received, and the same check on a tampered copy.
set -euo pipefail
BIN=${1:-$(swift build --show-bin-path)}
OUT=out/demo
rm -rf "$OUT"; mkdir -p "$OUT"
at() { "$BIN/agritrace" "$@" >/dev/null; }
LOT=08936000120016/MV-2026-031
ROOT=Certificates/root-ca.pem
party() {  # party NAME ORG GLN CERT [init options]
    at init --workspace "$OUT/$1" --org "$2" --gln "$3" --trust "$ROOT" "${@:5}"
    # The authority's current CRL goes with the identity: buyers trust no signer without one.
    at identity install --workspace "$OUT/$1" --certificate "Certificates/$4.pem" --key "Certificates/$4.key" \
        --crl Certificates/issuing-ca.crl.pem
}

echo "== Five parties set up their workspaces"
party coop "Meo Vac Mint Honey Cooperative" 8936000100018 honey-coop
party certifier "VietCert Organic Certification Body" 8936000100049 certifier
party lab "Northern Food Testing Laboratory" 8936000100056 laboratory
party exporter "Plateau Harvest Export Co., Ltd." 8936000100070 exporter --resolver-domain https://dl.plateauharvest.vn
party importer "Lion City Fine Foods Pte. Ltd." 8936000100094 importer-sg --offset +08:00   # Singapore time

echo "== The cooperative registers its product and plots and harvests lot MV-2026-031"
at product add --workspace "$OUT/coop" --gtin 08936000120016 --name-vi "Mật ong hoa bạc hà Mèo Vạc" --name-en "Meo Vac mint-flower honey" --category honey
at plot add --workspace "$OUT/coop" --id MV-P07 --name "Lũng Pù mint slope" --point 105.4102,23.1671 --area 3.2
at plot add --workspace "$OUT/coop" --id MV-P12 --name "Sủng Là valley" --point 105.3007,23.2205 --area 4.5
at certificate add --workspace "$OUT/coop" --number VC-ORG-2026-0457 --body "VietCert Organic Certification Body" \
    --valid-from 2026-01-01 --valid-until 2027-12-31
at harvest --workspace "$OUT/coop" --gtin 08936000120016 --lot MV-2026-031 --quantity 1200 --plot MV-P07 --plot MV-P12 \
    --harvest-date 2026-04-10 --organic-certificate VC-ORG-2026-0457 --time 2026-04-12T07:30:00+07:00
at export --workspace "$OUT/coop" --lot $LOT --out "$OUT/1-harvest.provenance.json"

echo "== The certifier inspects it, the laboratory tests it"
at import --workspace "$OUT/certifier" "$OUT/1-harvest.provenance.json"
at certificate add --workspace "$OUT/certifier" --number VC-ORG-2026-0457 --body "VietCert Organic Certification Body" \
    --valid-from 2026-01-01 --valid-until 2027-12-31
at inspect --workspace "$OUT/certifier" --lot $LOT --result pass --certificate VC-ORG-2026-0457 --time 2026-04-15T09:00:00+07:00
at export --workspace "$OUT/certifier" --lot $LOT --out "$OUT/2-inspected.provenance.json"
at import --workspace "$OUT/lab" "$OUT/2-inspected.provenance.json"
echo "NFTL report 2026-0418-07: moisture 17.8 %, HMF 12.4 mg/kg" > "$OUT/lab-report.txt"
at inspect --workspace "$OUT/lab" --lot $LOT --result pass --measure moisture=17.8:P1 --measure HMF=12.4:mg/kg \
    --report "$OUT/lab-report.txt" --time 2026-04-18T14:20:00+07:00
at export --workspace "$OUT/lab" --lot $LOT --out "$OUT/3-tested.provenance.json"

echo "== The cooperative hands the lot to the exporter, who packs 600 kg and ships to Singapore"
at import --workspace "$OUT/coop" "$OUT/3-tested.provenance.json"
at ship --workspace "$OUT/coop" --to 8936000100070 --lot $LOT=1200 --document inv:MV-2026-0419-01 --time 2026-04-19T08:00:00+07:00
at export --workspace "$OUT/coop" --lot $LOT --out "$OUT/4-handed-over.provenance.json"
at import --workspace "$OUT/exporter" "$OUT/4-handed-over.provenance.json"
at receive --workspace "$OUT/exporter" --from 8936000100018 --lot $LOT=1200 --time 2026-04-19T16:45:00+07:00
at pack --workspace "$OUT/exporter" --sscc 089360001000000018 --lot $LOT=600 --time 2026-04-22T10:00:00+07:00
echo "   (and prints authenticated QR labels for the jars: a PNG and a PDF sheet)"
"$BIN/agritrace" label --workspace "$OUT/exporter" --lot $LOT --format png --out "$OUT/label.png" | sed 's/^/   QR: /'
at label --workspace "$OUT/exporter" --lot $LOT --format pdf --layout thermal --out "$OUT/labels.pdf"
at ship --workspace "$OUT/exporter" --to 8936000100094 --sscc 089360001000000018 --document bol:HPH-SIN-260425-88 --time 2026-04-25T06:00:00+07:00
at export --workspace "$OUT/exporter" --lot $LOT --out "$OUT/5-shipped.provenance.json"

echo "== The importer in Singapore receives the pallet"
at import --workspace "$OUT/importer" "$OUT/5-shipped.provenance.json"
at receive --workspace "$OUT/importer" --from 8936000100070 --sscc 089360001000000018 --time 2026-05-02T11:15:00+08:00
at export --workspace "$OUT/importer" --lot $LOT --out "$OUT/honey.provenance.json"
echo "   (the exporter's recall list for the lot:)"
"$BIN/agritrace" trace forward --workspace "$OUT/exporter" --lot $LOT | sed 's/^/   /'
echo "   (and what each now holds:)"
"$BIN/agritrace" stock --workspace "$OUT/exporter" | sed 's/^/   /'
"$BIN/agritrace" stock --workspace "$OUT/importer" | sed 's/^/   /'
echo
echo "== The buyer verifies what it received and the label it scanned, trusting only the provincial root"
set +e
"$BIN/agritrace-verify" "$OUT/honey.provenance.json" --trust "$ROOT" --label-image "$OUT/label.png"
status=$?
echo "(exit status $status)"
echo
echo "== The same check on a copy whose harvest quantity was raised after signing"
python3 - "$OUT/honey.provenance.json" "$OUT/tampered.provenance.json" <<'PY'
import base64, json, sys
bundle = json.load(open(sys.argv[1]))
payload = base64.b64decode(bundle["records"][0]["payload"]).replace(b'"quantity":1200', b'"quantity":1900')
bundle["records"][0]["payload"] = base64.b64encode(payload).decode()
json.dump(bundle, open(sys.argv[2], "w"), indent=1)
PY
"$BIN/agritrace-verify" "$OUT/tampered.provenance.json" --trust "$ROOT"
tampered=$?
echo "(exit status $tampered)"
echo
echo "== The other sample products (Samples/): oranges to Bangkok, beef to Kunming, herbs to Singapore"
for product in citrus beef herb; do
    "$BIN/agritrace-verify" "Samples/$product/$product.provenance.json" --trust "$ROOT" | tail -1 | sed "s/^/   $product: /"
done
set -e
[ "$status" -eq 0 ] && [ "$tampered" -eq 1 ] || { echo "demo: unexpected result"; exit 1; }
echo
echo "Demo done: five parties, one trusted journey from farm to buyer; the tampered copy is rejected."
