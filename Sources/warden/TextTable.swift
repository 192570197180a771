import Foundation
import WardenCore

/// Aligned columns for people; JSON for scripts.
enum TextTable {
    static func render(_ headers: [String], _ rows: [[String]]) -> String {
        let rows = rows.map { $0.map(printable) }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// Control characters (a subject may hold anything) are shown escaped so they cannot break the table
    /// or the terminal.
    static func printable(_ cell: String) -> String {
        var out = ""
        for scalar in cell.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func print(_ headers: [String], _ rows: [[String]]) {
        Swift.print(render(headers, rows))
    }

    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return ProtoTimestamp.format(date)
    }
}
