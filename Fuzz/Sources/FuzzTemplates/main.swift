import CFuzzerDriver
import Foundation
import WardenCore
import WardenPKI
import WardenTemplate

/// Templates as admins write them and data as requesters send it: the input is a template, optionally followed by
/// a line `---DATA---` and JSON for the request's `templateData`. Parsing, rendering (with step's X.509 data around
/// it) and reading the output as step's certificate JSON must only ever succeed or throw — never trap, hang or
/// exhaust memory (rendering is bounded by ``Template/Limits``).
let limits = Template.Limits(maximumOutput: 64 << 10, maximumDepth: 50, maximumIterations: 10_000, maximumWork: 200_000, maximumNesting: 100)

func fuzzTemplates(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.components(separatedBy: "\n---DATA---\n")
    let userData = parts.count > 1 ? TemplateJSON.parse(parts[1]) : nil
    guard let template = try? Template(parsing: parts[0], name: "fuzz", limits: limits) else { return 0 }
    let value = TemplateValue.anyMap([
        "Subject": .anyMap(["CommonName": .string("fuzz.example")]),
        "SANs": .list([.string("fuzz.example"), .string("10.0.0.1")], element: .string),
        "Insecure": .anyMap(["User": userData.map(TemplateValue.init(json:)) ?? .anyMap([:])]),
        "n": .float(3), "list": .list([.float(1), .null, .string("x")], element: .any),
    ])
    if let output = try? template.render(value) {
        precondition(output.utf8.count <= limits.maximumOutput, "output bound")
        _ = try? CertificateDescription(rendered: output)
    }
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzTemplates))
