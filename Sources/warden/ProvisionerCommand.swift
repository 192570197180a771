import ArgumentParser
import Foundation
import WardenClient
import WardenCore

/// Type-specific flags, named as `step ca provisioner add` names them.
struct ProvisionerSettingsOptions: ParsableArguments {
    @Option(name: .customLong("public-key"), help: "JWK: file with the public JWK.") var publicKey: String?
    @Option(name: .customLong("private-key"), help: "JWK: file with the encrypted private key (compact JWE).") var privateKey: String?
    @Flag(name: .customLong("create"), help: "JWK: generate a new key pair (encrypted with --password-file).") var create = false
    @Option(name: .customLong("password-file"), help: "JWK --create: password for the new key.") var passwordFile: String?
    @Option(name: .customLong("client-id"), help: "OIDC client id.") var clientID: String?
    @Option(name: .customLong("client-secret"), help: "OIDC client secret.") var clientSecret: String?
    @Option(name: .customLong("configuration-endpoint"), help: "OIDC discovery URL.") var configurationEndpoint: String?
    @Option(name: .customLong("domain"), help: "OIDC allowed email domain (repeatable).") var domains: [String] = []
    @Option(name: .customLong("admin"), help: "OIDC admin email (repeatable).") var oidcAdmins: [String] = []
    @Option(name: .customLong("group"), help: "OIDC group (repeatable).") var groups: [String] = []
    @Option(name: .customLong("tenant-id"), help: "OIDC tenant id.") var tenantID: String?
    @Option(name: .customLong("x5c-root"), help: "X5C/Nebula/K8sSA: PEM file of roots or keys (repeatable).") var roots: [String] = []
    @Option(name: .customLong("challenge"), help: "ACME challenge (http-01, dns-01, tls-alpn-01; repeatable) or SCEP challenge password.")
    var challenges: [String] = []
    @Flag(name: .customLong("require-eab"), help: "ACME: require external account binding.") var requireEAB = false
    @Flag(name: .customLong("force-cn"), help: "ACME/SCEP: force a common name.") var forceCN = false
    @Option(name: .customLong("aws-account"), help: "AWS account id (repeatable).") var awsAccounts: [String] = []
    @Option(name: .customLong("gcp-project"), help: "GCP project id (repeatable).") var gcpProjects: [String] = []
    @Option(name: .customLong("gcp-service-account"), help: "GCP service account (repeatable).") var gcpServiceAccounts: [String] = []
    @Option(name: .customLong("azure-tenant"), help: "Azure tenant id.") var azureTenant: String?
    @Option(name: .customLong("azure-resource-group"), help: "Azure resource group (repeatable).") var azureResourceGroups: [String] = []
    @Option(name: .customLong("instance-age"), help: "AWS/GCP: maximum instance age (e.g. 1h).") var instanceAge: String?
    @Flag(name: .customLong("disable-custom-sans"), help: "Cloud: only the instance's own names.") var disableCustomSANs = false
    @Option(name: .customLong("x509-min-dur"), help: "Minimum certificate lifetime (e.g. 5m).") var x509Min: String?
    @Option(name: .customLong("x509-max-dur"), help: "Maximum certificate lifetime (e.g. 24h).") var x509Max: String?
    @Option(name: .customLong("x509-default-dur"), help: "Default certificate lifetime.") var x509Default: String?
    @Flag(name: .customLong("disable-renewal"), help: "Refuse renewals of its certificates.") var disableRenewal = false
    @Flag(name: .customLong("allow-renewal-after-expiry"), help: "Allow renewing expired certificates.") var allowRenewalAfterExpiry = false
    @Option(name: .customLong("x509-template"), help: "X.509 template file (Go text/template rendering step's certificate JSON).")
    var x509Template: String?
    @Option(name: .customLong("x509-template-data"), help: "JSON file with the X.509 template's data (an object).") var x509TemplateData: String?

    func apply(to draft: inout ProvisionerDraft) throws {
        func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else { throw WardenError.badRequest("cannot read \(path)") }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let x509Template {
            guard let data = FileManager.default.contents(atPath: x509Template) else { throw WardenError.badRequest("cannot read \(x509Template)") }
            draft.x509Template = String(decoding: data, as: UTF8.self)
        }
        if let x509TemplateData {
            guard let data = FileManager.default.contents(atPath: x509TemplateData),
                let json = try? JSONDecoder().decode(JSONValue.self, from: data), case .object = json
            else { throw WardenError.badRequest("\(x509TemplateData): not a JSON object") }
            draft.x509TemplateData = json
        }
        if create {
            guard let passwordFile else { throw WardenError.badRequest("--create needs --password-file for the new key") }
            try draft.generateJWK(password: try PasswordFile.read(passwordFile))
        }
        if let publicKey { draft.jwkPublicKey = try read(publicKey) }
        if let privateKey { draft.jwkEncryptedKey = try read(privateKey) }
        draft.clientID = clientID ?? draft.clientID
        draft.clientSecret = clientSecret ?? draft.clientSecret
        draft.configurationEndpoint = configurationEndpoint ?? draft.configurationEndpoint
        draft.domains = domains
        draft.oidcAdmins = oidcAdmins
        draft.groups = groups
        draft.tenantID = tenantID
        draft.roots = try roots.map(read)
        if draft.type == .scep { draft.scepChallenge = challenges.first } else { draft.challenges = challenges }
        if requireEAB { draft.requireEAB = true }
        if forceCN { draft.forceCN = true }
        draft.awsAccounts = awsAccounts
        draft.gcpProjects = gcpProjects
        draft.gcpServiceAccounts = gcpServiceAccounts
        draft.azureTenant = azureTenant
        draft.azureResourceGroups = azureResourceGroups
        draft.instanceAge = instanceAge
        if disableCustomSANs { draft.disableCustomSANs = true }
        draft.x509MinDuration = x509Min
        draft.x509MaxDuration = x509Max
        draft.x509DefaultDuration = x509Default
        if disableRenewal { draft.disableRenewal = true }
        if allowRenewalAfterExpiry { draft.allowRenewalAfterExpiry = true }
    }
}

struct ProvisionerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provisioner", abstract: "Manage provisioners (remote management).",
        subcommands: [List.self, Get.self, Add.self, Update.self, Remove.self])

    static func row(_ p: LinkedProvisioner) -> [String] {
        let claims = LinkedClaims.toClaims(p.claims)
        let durations = [claims.defaultTLSCertDuration, claims.minTLSCertDuration, claims.maxTLSCertDuration].map { $0?.description ?? "-" }
        return [p.name, p.type.enumName, p.id.uuidString.lowercased(), durations.joined(separator: "/"), ProtoTimestamp.format(p.createdAt)]
    }

    static let headers = ["NAME", "TYPE", "ID", "DEFAULT/MIN/MAX", "CREATED"]

    /// Without `--show-secrets`, secret fields are replaced before printing.
    static func printable(_ value: JSONValue, showSecrets: Bool) -> JSONValue {
        showSecrets ? value : SecretRedaction.redact(value)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List provisioners.", discussion: "Example:\n  warden provisioner list --json")
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .customLong("show-secrets"), help: "Include encrypted keys and client secrets in --json.") var showSecrets = false

        func run() async throws {
            let provisioners = try await connection.withAdmin { try await $0.provisioners() }
            if output.json {
                return try TextTable.json(JSONValue.array(provisioners.map { ProvisionerCommand.printable($0.protoJSON, showSecrets: showSecrets) }))
            }
            TextTable.print(ProvisionerCommand.headers, provisioners.map(ProvisionerCommand.row))
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one provisioner.", discussion: "Example:\n  warden provisioner get ops --json")
        @Argument(help: "Provisioner name.") var name: String
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .customLong("show-secrets"), help: "Include encrypted keys and client secrets.") var showSecrets = false

        func run() async throws {
            let name = name
            let document = try await connection.withAdmin { try await $0.provisionerDocument(named: name) }
            if output.json { return try TextTable.json(ProvisionerCommand.printable(document, showSecrets: showSecrets)) }
            let provisioner = try LinkedProvisioner(protoJSON: document)
            TextTable.print(ProvisionerCommand.headers, [ProvisionerCommand.row(provisioner)])
            try TextTable.json(ProvisionerCommand.printable(.object(provisioner.details), showSecrets: showSecrets))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a provisioner of any type.",
            discussion: """
                Examples:
                  warden provisioner add ops --type JWK --create --password-file ops-pw.txt --x509-default-dur 8h
                  warden provisioner add google --type OIDC --client-id ID --client-secret S \\
                    --configuration-endpoint https://accounts.google.com/.well-known/openid-configuration --domain example.com
                  warden provisioner add acme --type ACME --challenge http-01 --challenge dns-01
                """)
        @Argument(help: "Provisioner name.") var name: String
        @Option(help: "JWK, OIDC, X5C, ACME, SCEP, K8sSA, SSHPOP, Nebula, AWS, GCP or Azure.") var type: String
        @OptionGroup var settings: ProvisionerSettingsOptions
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if ProvisionerType(name: type) == nil { throw ValidationError("unknown provisioner type \"\(type)\"") }
        }

        func run() async throws {
            var draft = ProvisionerDraft(name: name, type: ProvisionerType(name: type)!)
            try settings.apply(to: &draft)
            let document = draft.document
            let created = try await connection.withAdmin { try await $0.createProvisioner(document) }
            if output.json { return try TextTable.json(ProvisionerCommand.printable(created.protoJSON, showSecrets: false)) }
            TextTable.print(ProvisionerCommand.headers, [ProvisionerCommand.row(created)])
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a provisioner's claims or type-specific settings.",
            discussion: "Example:\n  warden provisioner update ops --x509-max-dur 48h --x509-default-dur 24h")
        @Argument(help: "Provisioner name (a provisioner's name and type are its identity and cannot change).") var name: String
        @OptionGroup var settings: ProvisionerSettingsOptions
        @OptionGroup var connection: AdminConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (name, settings) = (name, settings)
            let updated = try await connection.withAdmin { admin in
                let existing = try await admin.provisionerDocument(named: name)
                let current = try LinkedProvisioner(protoJSON: existing)
                var draft = ProvisionerDraft(name: name, type: current.type)
                try settings.apply(to: &draft)
                return try await admin.updateProvisioner(named: name, draft.merged(into: existing))
            }
            if output.json { return try TextTable.json(ProvisionerCommand.printable(updated.protoJSON, showSecrets: false)) }
            TextTable.print(ProvisionerCommand.headers, [ProvisionerCommand.row(updated)])
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a provisioner and its admins.", discussion: "Example:\n  warden provisioner remove ops")
        @Argument(help: "Provisioner name.") var name: String
        @OptionGroup var connection: AdminConnectionOptions

        func run() async throws {
            let name = name
            try await connection.withAdmin { try await $0.removeProvisioner(named: name) }
        }
    }
}
