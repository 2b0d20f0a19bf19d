import ArgumentParser

/// Certificate authority work: the sample PKI, and what a provincial authority needs for real.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Run a small certificate authority for AgriTrace parties.",
        discussion: """
        A trust anchor (a provincial authority, a certification body) issues each party a \
        certificate naming its roles and GLN. Typical use:

          agritrace pki init --dir root --name "Provincial Traceability Root CA"
          agritrace pki init --dir issuing --parent root \\
              --name "Provincial Issuing CA 1"
          agritrace pki request --key coop.key --org "Meo Vac Honey Cooperative" \\
              --out coop.csr
          agritrace pki issue --dir issuing --csr coop.csr --role producer \\
              --gln 8936000100018 --out coop.pem
          agritrace pki revoke --dir issuing --cert coop.pem \\
              --date 2027-01-01T00:00:00Z
          agritrace pki crl --dir issuing --out issuing.crl.pem
        """,
        subcommands: [PKISample.self, PKIInit.self, PKIRequest.self, PKIIssue.self, PKIRevoke.self, PKICRL.self]
    )
}
