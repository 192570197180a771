import ArgumentParser
import Foundation
import Logging
import WardenClient
import WardenCore
import WardenServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the CA: TLS listener, public API, PostgreSQL-backed records.",
        discussion: """
            SIGTERM/SIGINT drain and stop; SIGHUP reloads ca.json. Log level: WARDEN_LOG_LEVEL (default info).
            Example:
              warden serve --config ./ca/config/ca.json --password-file pw.txt
            """)

    @Option(help: "Path of ca.json.") var config: String
    @Option(name: .customLong("password-file"), help: "File holding the intermediate key password.") var passwordFile: String?
    @Option(help: "Override ca.json's address (host:port).") var address: String?
    @Option(name: .customLong("metrics-address"), help: "Serve Prometheus metrics over plain HTTP here (host:port).")
    var metricsAddress: String?
    @Option(
        name: .customLong("server-cert-validity"),
        help: "Lifetime of the CA's own TLS certificate (Go duration, at least 5s; default 24h). It is renewed at two thirds of it.")
    var serverCertValidity: String = "24h"
    @Option(
        name: .customLong("admin-subject"),
        help: "When remote management is first turned on for a CA whose provisioners are in ca.json: the first super admin (default step).")
    var adminSubject: String = "step"

    func validate() throws {
        guard let duration = GoDuration(parsing: serverCertValidity), duration.seconds >= 5, duration.seconds <= 397 * 86400 else {
            throw ValidationError("--server-cert-validity: \"\(serverCertValidity)\" must be a duration from 5s to 9528h")
        }
    }

    func run() async throws {
        let password = try passwordFile.map { Secret(try PasswordFile.read($0)) }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            let level = ProcessInfo.processInfo.environment["WARDEN_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
            handler.logLevel = level ?? .info
            return handler
        }
        let logger = Logger(label: "warden")
        let validity = GoDuration(parsing: serverCertValidity)?.seconds ?? 24 * 3600
        try await CAServer.run(
            CAServerOptions(
                configPath: config, password: password, addressOverride: address, serverCertificateValidity: validity,
                metricsAddress: metricsAddress, adminSubject: adminSubject),
            logger: logger)
    }
}
