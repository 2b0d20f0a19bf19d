import AgriTrace
import ArgumentParser
import Foundation
import TraceCrypto

/// The passphrase of the private keys a command reads or writes: from an environment variable
/// (scripts), else typed at the terminal (``PassphrasePrompt``), which is asked only for a key
/// that is encrypted, or for a new key when the command that makes it is given ``NewKeyOptions``'
/// `--ask-passphrase`.
struct PassphraseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the key passphrase from this environment variable, for scripts (an encrypted key's passphrase is otherwise asked for at the terminal).", valueName: "VAR"))
    var passphraseEnv: String?

    /// The passphrase to encrypt a new key with, or nil to store it unencrypted.
    func newKeyPassphrase(_ options: NewKeyOptions) throws -> String? {
        if let fromEnvironment = try fromEnvironment() {
            guard !options.askPassphrase else { throw TraceError("argument.invalid", "give --passphrase-env or --ask-passphrase, not both") }
            return fromEnvironment
        }
        guard options.askPassphrase else { return nil }
        guard let first = try PassphrasePrompt.ask("passphrase for the new key: ") else {
            throw TraceError("argument.invalid", "--ask-passphrase needs a terminal to type at; scripts give --passphrase-env VAR")
        }
        guard !first.isEmpty else { throw TraceError("argument.invalid", "the passphrase is empty; nothing was written") }
        guard try PassphrasePrompt.ask("the same passphrase again: ") == first else {
            throw TraceError("argument.invalid", "the two passphrases typed differ; nothing was written")
        }
        return first
    }

    /// The passphrase to read the key at `url`: from `--passphrase-env`; else, when the key is
    /// encrypted, typed at the terminal; nil for an unencrypted key.
    func passphrase(forKeyAt url: URL) throws -> String? {
        if let fromEnvironment = try fromEnvironment() { return fromEnvironment }
        guard PrivateKey.isEncrypted(fileAt: url) else { return nil }
        guard let typed = try PassphrasePrompt.ask("passphrase for \(TerminalText.safe(url.path)): ") else {
            throw TraceError("key.passphrase", "the private key in \(url.path) is encrypted and there is no terminal to type its "
                             + "passphrase at: scripts give --passphrase-env VAR")
        }
        return typed
    }

    private func fromEnvironment() throws -> String? {
        guard let name = passphraseEnv else { return nil }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TraceError("argument.invalid", "environment variable \(name) is not set or empty")
        }
        return value
    }
}

/// The option of the commands that make a private key.
struct NewKeyOptions: ParsableArguments {
    @Flag(help: "Encrypt the new key with a passphrase typed at the terminal (asked twice, never shown); it is then asked for whenever the key is used. Without it or --passphrase-env the key is stored unencrypted (mode 0600).")
    var askPassphrase = false
}
