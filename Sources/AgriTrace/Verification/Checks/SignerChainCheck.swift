import Foundation
import TraceCrypto

/// Each signer's certificate chains to one of the buyer's trust anchors, was valid at the
/// event time, and was not revoked before the event.
public struct SignerChainCheck: VerificationCheck {
    public init() {}

    public func findings(in context: VerificationContext) -> [Finding] {
        // What each signer's chain says, by its position in bundleSigners, read once: each record
        // then compares its time with two dates, not a copy of its signer's certificate and chain.
        let standings = context.bundleSigners.map(Standing.init)
        // The revocations each signer's chain lists, by its position in bundleSigners, once worked out.
        var revocations = [[(certificate: Certificate, entry: CertificateRevocationList.Entry)]?](repeating: nil, count: context.bundleSigners.count)
        var findings: [Finding] = []
        for record in context.records {
            // Each signer once, in the envelope's order; the words of a finding are made only for one.
            for position in context.distinctSignerPositions(of: record) {
                var who: String { context.bundleSigners[position].certificate.partyName }
                guard case .valid(let validFrom, let validUntil) = standings[position] else {
                    if case .failure(let error) = context.bundleSigners[position].chain { findings.append(finding(for: error, who: who, record: record.digest)) }
                    continue
                }
                // An imported event is judged at its attestation, when the signature was made.
                let signed = record.event.signingTime, time = signed.date
                var what: String { record.event.importedAt == nil ? "signed an event of \(signed)" : "attested an imported event at \(signed)" }
                // Times as the event writes its own, in its zone: a reader compares them at a glance.
                func local(_ date: Date) -> String { EPCISTime(date: date, offsetMinutes: signed.offsetMinutes).description }
                if time < validFrom.addingTimeInterval(-context.options.clockSkew) {
                    findings.append(Finding(.certificateNotYetValid, record: record.digest,
                        "\(who) \(what) but its certificate chain is valid only from \(local(validFrom))"))
                } else if time > validUntil.addingTimeInterval(context.options.clockSkew) {
                    findings.append(Finding(.certificateExpired, record: record.digest,
                        "\(who) \(what) after its certificate chain expired on \(local(validUntil))"))
                }
                let revoked = revocations[position] ?? Self.revocations(of: context.bundleSigners[position], in: context)
                revocations[position] = revoked
                for (certificate, entry) in revoked {
                    let when = local(entry.revocationDate)
                    if entry.revocationDate <= time {
                        findings.append(Finding(.certificateRevoked, record: record.digest,
                            "\(certificate.partyName) (serial \(certificate.serialNumber)) was revoked on \(when), before this event of \(signed)"))
                    } else {
                        let strict = context.options.strictRevocation
                        findings.append(Finding(.certificateRevokedLater, strict ? .error : .warning, record: record.digest,
                            "\(certificate.partyName) was revoked on \(when), after this event of \(signed)"
                                + (strict ? "; refused under strict revocation" : "; accepted, but check why it was revoked")))
                    }
                }
            }
        }
        return findings
    }

    /// A signer's chain as each record's check reads it: the span it is valid in, or broken
    /// (why is read from the signer when a record needs the words).
    private enum Standing {
        case valid(from: Date, until: Date)
        case broken

        init(_ signer: BundleSigner) {
            switch signer.chain {
            case .success(let chain): self = .valid(from: chain.validFrom, until: chain.validUntil)
            case .failure: self = .broken
            }
        }
    }

    /// The revocations the CRLs of `signer`'s chain list for its certificates (none for a broken chain).
    private static func revocations(of signer: BundleSigner, in context: VerificationContext)
        -> [(certificate: Certificate, entry: CertificateRevocationList.Entry)] {
        guard case .success(let chain) = signer.chain else { return [] }
        return ChainVerifier.revocations(of: chain.certificates, signedBy: context.revocationLists(signedBy:))
    }

    private func finding(for error: ChainError, who: String, record: String) -> Finding {
        switch error.reason {
        case .untrusted, .issuerMissing:
            Finding(.certificateUntrusted, .untrusted, record: record,
                    "\(who)'s certificate does not chain to any of your trust anchors (\(error.message))")
        case .revoked:
            Finding(.certificateRevoked, record: record, error.message)
        case .expired, .notYetValid, .badSignature, .notACA, .invalid:
            Finding(.certificateInvalid, record: record, "\(who)'s certificate chain is broken: \(error.message)")
        }
    }
}
