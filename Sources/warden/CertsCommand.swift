import ArgumentParser
import Foundation
import WardenClient
import WardenCore

/// Filters shared by `certs list` and friends, mapped one-to-one onto the API's query parameters.
struct CertificateFilterOptions: ParsableArguments {
    @Option(name: .customLong("search"), help: "Case-insensitive substring of the subject or any SAN.") var search: String?
    @Option(help: "active, expired or revoked.") var status: String?
    @Option(help: "Only certificates from this provisioner.") var provisioner: String?
    @Option(name: .customLong("expires-before"), help: "RFC 3339 time.") var expiresBefore: String?
    @Option(name: .customLong("expires-after"), help: "RFC 3339 time.") var expiresAfter: String?
    @Option(name: .customLong("issued-after"), help: "RFC 3339 time.") var issuedAfter: String?
    @Option(help: "issuedAt, notAfter or subject.") var sort: String?
    @Option(help: "asc or desc.") var order: String?

    var parameters: [(String, String?)] {
        [
            ("q", search), ("status", status), ("provisioner", provisioner), ("expiresBefore", expiresBefore),
            ("expiresAfter", expiresAfter), ("issuedAfter", issuedAfter), ("sort", sort), ("order", order),
        ]
    }
}

struct CertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs", abstract: "Search, inspect and revoke issued certificates.", subcommands: [List.self, Show.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the certificate inventory.",
            discussion: "Example:\n  warden certs list --search web --status active --sort notAfter --order asc --json")
        @OptionGroup var filters: CertificateFilterOptions
        @OptionGroup var pages: PageOptions
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let page = try await pages.collect(filters.parameters, connection: connection) { try await $0.certificates($1) }
            if output.json { return try TextTable.json(page) }
            TextTable.print(
                ["SERIAL", "SUBJECT", "STATUS", "NOT AFTER", "PROVISIONER", "SANS"],
                page.items.map { [$0.serial, $0.subject, $0.status, TextTable.date($0.notAfter), $0.provisioner, $0.sans.joined(separator: ",")] })
            if !page.nextCursor.isEmpty { FileHandle.standardError.write(Data("more results: use --all, or --json for the cursor\n".utf8)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one certificate (PEM, extensions, revocation).", discussion: "Example:\n  warden certs show 0x3072a048bd2f573e")
        @Argument(help: "Serial (decimal or 0x-hex).") var serial: String
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let serial = serial
            let detail = try await connection.withAdmin { try await $0.certificate(serial: serial) }
            if output.json { return try TextTable.json(detail) }
            var rows: [[String]] = []
            for key in ["serial", "serialHex", "subject", "status", "notBefore", "notAfter", "provisioner", "keyAlgorithm", "fingerprint", "issuer"] {
                rows.append([key, detail[key]?.stringValue ?? "-"])
            }
            rows.append(["sans", (detail["sans"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")])
            for ext in detail["extensions"]?.arrayValue ?? [] {
                rows.append(["ext " + (ext["name"]?.stringValue ?? ""), ext["value"]?.stringValue ?? ""])
            }
            if let revocation = detail["revocation"] {
                rows.append([
                    "revoked",
                    "\(revocation["revokedAt"]?.stringValue ?? "") \(revocation["reason"]?.stringValue ?? "") by \(revocation["revokedBy"]?.stringValue ?? "")",
                ])
            }
            TextTable.print(["FIELD", "VALUE"], rows)
            print(detail["pem"]?.stringValue ?? "", terminator: "")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a certificate as an admin (the CRL is regenerated; the action is audited).",
            discussion: "Example:\n  warden certs revoke 0x3072a048bd2f573e --reason key-compromise --message 'laptop stolen'")
        @Argument(help: "Serial (decimal or 0x-hex).") var serial: String
        @Option(help: "Reason name or RFC 5280 code.") var reason: String = "unspecified"
        @Option(help: "Free text recorded with the revocation.") var message: String = ""
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if RevocationReason(parsing: reason) == nil { throw ValidationError("unknown reason \"\(reason)\"") }
        }

        func run() async throws {
            let (serial, reason, message) = (serial, RevocationReason(parsing: reason)!, message)
            let result = try await connection.withAdmin { try await $0.revokeCertificate(serial: serial, reason: reason, text: message) }
            if output.json { return try TextTable.json(result) }
            print("✔ Revoked \(result.serial) (\(result.reason))")
        }
    }
}
