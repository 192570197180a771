import Foundation
import WardenCore

/// ca.json provisioners (without remote management) may name their X.509 template by file
/// (`options.x509.templateFile`, a path on the CA host, relative paths as step resolves them). The files are read
/// when the configuration is loaded — at start and on SIGHUP — and their text is used as `options.x509.template`;
/// every template is parsed then, so a broken template stops the start or the reload with the provisioner's name
/// and the template's line, rather than failing requests later.
enum TemplateFileLoader {
    static func loaded(_ configuration: CAConfiguration, configPath: String) throws(WardenError) -> CAConfiguration {
        guard configuration.authority.enableAdmin != true else { return configuration }
        var configuration = configuration
        for index in configuration.authority.provisioners.indices {
            var provisioner = configuration.authority.provisioners[index]
            let options = provisioner.x509TemplateOptions
            if options.template == nil, let path = options.templateFile {
                let location = RemoteManagementBootstrap.resolveTemplatePath(path, configPath: configPath)
                guard let data = FileManager.default.contents(atPath: location) else {
                    throw .badRequest("provisioner \(provisioner.name): options.x509.templateFile \(path) cannot be read (looked for \(location))")
                }
                var x509 = provisioner.fields["options"]?["x509"]?.objectValue ?? [:]
                x509["template"] = .string(String(decoding: data, as: UTF8.self))
                var all = provisioner.fields["options"]?.objectValue ?? [:]
                all["x509"] = .object(x509)
                provisioner.fields["options"] = .object(all)
                configuration.authority.provisioners[index] = provisioner
            }
            do {
                _ = try ProvisionerSet.compileX509Template(of: provisioner)
            } catch {
                throw .badRequest("provisioner \(provisioner.name): \(error.message)")
            }
        }
        return configuration
    }
}
