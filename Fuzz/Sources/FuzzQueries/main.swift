import CFuzzerDriver
import Foundation
import WardenCore

/// Query strings, cursors, serials, Go durations and times — each line of the input is `name=value` or a bare
/// value. Invariants: a Go duration prints as text that parses back to itself; a serial's decimal form parses
/// back to the same serial; a time accepted as a cursor value is also one PostgreSQL would take (checked by the
/// calendar rules); an RFC 3339 time prints as text that parses back to it; a requested validity that resolves lies within the issuer's and the claims.
let issuer = Date(timeIntervalSince1970: 1_700_000_000)...Date(timeIntervalSince1970: 2_000_000_000)
let now = Date(timeIntervalSince1970: 1_800_000_000)

func fuzzQueries(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let parameters = lines.map { line -> (String, String) in
        guard let equals = line.firstIndex(of: "=") else { return (line, "") }
        return (String(line[..<equals]), String(line[line.index(after: equals)...]))
    }
    _ = try? CertificateQuery(parameters: parameters)
    _ = try? RevocationQuery(parameters: parameters)
    _ = try? AuditQuery(parameters: parameters)
    for line in lines {
        _ = try? ListCursor(token: line)
        _ = InputText.percentDecoded(line)
        _ = try? InputText.checkName(line, field: "name")
        _ = ListParameters.isTimestampText(line)
        if let date = ProtoTimestamp.parse(line) {
            let whole = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            precondition(ProtoTimestamp.parse(ProtoTimestamp.format(date)) == whole, "time round trip: \(line)")
        }
        _ = RevocationReason(parsing: line)
        if let serial = SerialNumber(parsing: line) {
            precondition(SerialNumber(decimal: serial.decimal) == serial, "decimal round trip")
        }
        if let duration = GoDuration(parsing: line) {
            precondition(GoDuration(parsing: duration.description) == duration, "duration round trip: \(line) → \(duration)")
        }
    }
    let request = RequestedValidity(notBefore: lines.first, notAfter: lines.dropFirst().first)
    if let validity = try? request.resolve(policy: .stepDefaults, issuerValidity: issuer, now: now) {
        precondition(issuer.contains(validity.lowerBound) && issuer.contains(validity.upperBound), "validity within the issuer's")
        precondition(validity.upperBound.timeIntervalSince(validity.lowerBound) <= 24 * 3600 + 60, "lifetime within the claims")
    }
    return 0
}

exit(WardenFuzzMain(CommandLine.argc, CommandLine.unsafeArgv, fuzzQueries))
