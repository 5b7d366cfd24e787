import ArgumentParser
import Foundation
import RemitCore
import RemitCrypto

/// An error the CLI reports with its own exit code.
struct CLIFailure: Error {
    var message: String
    var exitCode: Int32

    static func refused(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: CLI.exitRefused) }
    static func badInput(_ message: String) -> CLIFailure { CLIFailure(message: message, exitCode: CLI.exitBadInput) }
}

/// Shared CLI plumbing: exit codes, files, output.
enum CLI {
    /// A check ran and said no.
    static let exitRefused: Int32 = 1
    /// The input could not be used.
    static let exitBadInput: Int32 = 2

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("remit: error: \(message)\n".utf8))
    }

    static func readFile(_ path: String, what: String) throws(CLIFailure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw .badInput(exists ? "cannot read \(what) \(path) (permission denied?)" : "\(what) \(path) does not exist")
        }
        return Array(data)
    }

    /// Writes a file readable only by its owner; refuses to overwrite unless `overwrite`.
    static func writeSecretFile(_ path: String, _ bytes: [UInt8], overwrite: Bool) throws(CLIFailure) {
        if FileManager.default.fileExists(atPath: path) && !overwrite {
            throw .badInput("\(path) already exists; pass --force to replace it (the key in it will be lost)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            throw .badInput("directory \(directory) does not exist")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw .badInput("cannot write \(path)")
        }
    }

    /// A line for people on stderr (never mixed into output a script reads).
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("remit: \(message)\n".utf8))
    }

    /// A progress line on stderr, only when stderr is a terminal.
    @Sendable static func progress(_ step: String, _ done: Int, _ total: Int) {
        guard isatty(STDERR_FILENO) == 1 else { return }
        let end = done >= total ? "\n" : ""
        FileHandle.standardError.write(Data("\r\(step): \(done)/\(total)\(end)".utf8))
    }

    static func printJSON(_ value: some Encodable) {
        print(String(decoding: MessageJSON.encode(value), as: UTF8.self))
    }
}

/// Where a keystore password comes from: never the command line itself.
struct PasswordOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the keystore password from the first line of this file.", valueName: "file"))
    var passwordFile: String?

    @Option(name: .long, help: ArgumentHelp("Read the keystore password from this environment variable.", valueName: "name"))
    var passwordEnv: String?

    func validate() throws {
        if passwordFile != nil && passwordEnv != nil {
            throw ValidationError("give either --password-file or --password-env, not both")
        }
    }

    /// The password bytes, from the file, the environment, or (on a terminal) a prompt.
    func password(prompt: String = "Keystore password: ") throws(CLIFailure) -> [UInt8] {
        if let passwordFile {
            let bytes = try CLI.readFile(passwordFile, what: "password file")
            let firstLine = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
            var line = Array(firstLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard !line.isEmpty else { throw .badInput("password file \(passwordFile) has an empty first line") }
            return line
        }
        if let passwordEnv {
            guard let value = ProcessInfo.processInfo.environment[passwordEnv], !value.isEmpty else {
                throw .badInput("environment variable \(passwordEnv) is not set or is empty")
            }
            return Array(value.utf8)
        }
        guard isatty(STDIN_FILENO) == 1, let entered = getpass(prompt) else {
            throw .badInput("no password: give --password-file FILE or --password-env NAME (passwords are never taken on the command line)")
        }
        let password = Array(String(cString: entered).utf8)
        guard !password.isEmpty else { throw .badInput("empty password") }
        return password
    }
}
